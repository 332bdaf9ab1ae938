// Tracking a message: the consent decision before sending, registering the message (the API
// decorates the body with the pixel and signed links), the send report from the sender's client,
// and the sender's own views of their sent messages.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import { forbidden, notFound } from '../../../core/errors.ts';
import { canWrite, systemActor } from '../../../core/roles.ts';
import type {
  SenderViewCreate,
  TrackedMessageCreate,
  TrackedMessageRegistration,
  TrackedMessageSent,
  TrackedMessageSummary,
  TrackingDecision,
  TrackingDecisionQuery,
} from '../../../core/schemas/tracking.ts';
import { decorateHtml, insertBeforeBodyEnd } from '../../../core/tracking/decorate-html.ts';
import { clickUrl, optOutUrl, signToken, type TrackingTokenPayload } from '../../../core/tracking/tokens.ts';
import type { Db } from '../../../db/client.ts';
import { senderViews, trackedMessages, trackingOptOuts, trackingRecipients } from '../../../db/schema/index.ts';
import { normalizeMessageId } from '../../../core/mail/message-id.ts';
import { activityIdOfMessage } from '../emails/email-identity.ts';
import type { TrackingDeps } from '../../env.ts';
import { inTenant, type Scope } from '../../platform/tenancy/scope.ts';
import { admitTrackedMessage } from './tracking-protection.service.ts';
import { decideTracking, presentDecision, recipientsOf } from './tracking-settings.service.ts';
import { trackedSummaries } from './tracking-summaries.service.ts';

export async function trackingDecision(s: Scope, input: z.output<typeof TrackingDecisionQuery>): Promise<TrackingDecision> {
  const { decision } = await decideTracking(s, recipientsOf(input));
  return presentDecision(decision);
}

/** Tracked messages have a sender: the system does not send mail. */
function senderOf(s: Scope): string {
  if (!s.actor.userId) throw forbidden('Only a person can send tracked email');
  return s.actor.userId;
}

/**
 * Registers a message right before it is sent. When the consent decision says no, nothing is
 * stored and the body comes back unchanged. The recipient is named in the tokens only when the
 * decision allows identity (one recipient, a mode that allows it); otherwise one pixel and one set
 * of links serve every recipient. The organization's abuse limits apply (tracking-protection.service.ts).
 */
export async function registerTrackedMessage(
  s: Scope,
  input: z.output<typeof TrackedMessageCreate>,
  tracking: Pick<TrackingDeps, 'baseUrl' | 'keyring' | 'messagesPerDay' | 'linkHostsPerDay'>,
): Promise<TrackedMessageRegistration> {
  if (!canWrite(s.actor)) throw forbidden('Read-only members cannot send tracked email');
  const senderId = senderOf(s);
  const emails = recipientsOf(input);
  const { decision, facts } = await decideTracking(s, emails);
  if (!decision.track) {
    return { decision: presentDecision(decision), trackedMessageId: null, html: input.html, pixelUrl: null, links: [], optOutUrl: null };
  }

  // Ids are made here so the tokens can be signed before the row is written.
  const id = randomUUID();
  const recipients = facts.map((f) => ({ id: randomUUID(), orgId: s.orgId, trackedMessageId: id, email: f.email, contactId: f.contactId }));
  const recipient = decision.storeIdentity ? recipients[0]!.id : null;
  const sign = (payload: TrackingTokenPayload) => signToken(payload, tracking.keyring);

  const optOut = input.optOutLink ? optOutUrl(tracking.baseUrl, sign({ kind: 'optout', messageId: id, recipient })) : null;
  // Added before decorating: decorateHtml leaves links to the tracking host alone.
  const html = optOut ? insertBeforeBodyEnd(input.html, optOutLine(optOut)) : input.html;
  const decorated = decorateHtml({ html, baseUrl: tracking.baseUrl, keyring: tracking.keyring, messageId: id, recipient, honeypot: true });

  await s.db.insert(trackedMessages).values({
    id,
    orgId: s.orgId,
    senderId,
    subject: input.subject ?? null,
    threadId: input.threadId ?? null,
    sentAt: s.now(),
    createdAt: s.now(),
    recipientCount: emails.length,
    storeIdentity: decision.storeIdentity,
    storeExactTime: decision.storeExactTime,
    recipientEmail: decision.storeIdentity ? emails[0]! : null,
    links: decorated.links,
  });
  await s.db.insert(trackingRecipients).values(recipients);
  // Last: it holds the organization's usage row until commit.
  await admitTrackedMessage(s, decorated.links, tracking);

  return {
    decision: presentDecision(decision),
    trackedMessageId: id,
    html: decorated.html,
    pixelUrl: decorated.pixelUrl,
    // Signing is deterministic, so these are the URLs decorateHtml put in the body.
    links: decorated.links.map((l) => ({ ...l, trackedUrl: clickUrl(tracking.baseUrl, sign({ kind: 'click', messageId: id, recipient, linkIndex: l.index, url: l.url })) })),
    optOutUrl: optOut,
  };
}

function optOutLine(url: string): string {
  const href = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<p style="font-size:12px;color:#6b7280">Don’t want the sender to see when you open this email? <a href="${href}">Stop tracking my opens</a></p>`;
}

/** After sending: the host's ids (so the sidebar finds the message in its thread) and the send time. */
export async function reportSent(s: Scope, id: string, input: z.output<typeof TrackedMessageSent>): Promise<TrackedMessageSummary> {
  const [message] = await trackedSummaries(s, { ids: [id] });
  if (!message) throw notFound('Tracked message');
  const [row] = await s.db.select({ senderId: trackedMessages.senderId }).from(trackedMessages).where(eq(trackedMessages.id, id));
  if (row?.senderId !== s.actor.userId) throw forbidden('Only the sender can report this message as sent');
  const messageId = normalizeMessageId(input.messageId) ?? input.messageId.trim();
  // The email log may already hold this message (under this id or as an alias): its activity is what opens and clicks attach to.
  const loggedId = await activityIdOfMessage(s, messageId);
  const logged = loggedId ? { id: loggedId } : null;
  await s.db
    .update(trackedMessages)
    .set({
      messageId,
      ...(input.threadId ? { threadId: input.threadId } : {}),
      sentAt: input.sentAt ? new Date(input.sentAt) : s.now(),
      ...(logged ? { activityId: logged.id } : {}),
    })
    .where(eq(trackedMessages.id, id));
  return (await trackedSummaries(s, { ids: [id] }))[0]!;
}

/**
 * The sender is looking at their own sent messages now (reported by their extension): hits in the
 * window around this moment are theirs. Only the caller's own messages are concerned; other host ids
 * are ignored. Returns how many tracked messages were concerned.
 */
export async function recordSenderViews(s: Scope, input: z.output<typeof SenderViewCreate>): Promise<number> {
  const mine = await s.db
    .select({ id: trackedMessages.id })
    .from(trackedMessages)
    .where(and(eq(trackedMessages.senderId, senderOf(s)), inArray(trackedMessages.messageId, input.messageIds.map((id) => normalizeMessageId(id) ?? id.trim()))));
  if (mine.length === 0) return 0;
  await s.db.insert(senderViews).values(mine.map((m) => ({ orgId: s.orgId, trackedMessageId: m.id, at: s.now() })));
  return mine.length;
}

/**
 * A recipient used their opt-out link: their address (for a link shared by several recipients,
 * every address the message went to) is never tracked again by this organization, and their later
 * hits are not recorded. Returns how many addresses were concerned (0: no such message).
 */
export async function recordOptOut(db: Db, messageId: string, recipientId: string | null, now: Date): Promise<number> {
  // The page has no signed-in user: the signed token names the message, whose row gives the
  // organization (read as the owner, by primary key); the rest runs in that tenant's scope.
  const [message] = await db.select({ orgId: trackedMessages.orgId }).from(trackedMessages).where(eq(trackedMessages.id, messageId));
  if (!message) return 0;
  return inTenant(db, () => now, systemActor(message.orgId), (s) => optOutRecipients(s, messageId, recipientId));
}

async function optOutRecipients(s: Scope, messageId: string, recipientId: string | null): Promise<number> {
  const recipients = await s.db
    .select({ email: trackingRecipients.email })
    .from(trackingRecipients)
    .where(and(eq(trackingRecipients.trackedMessageId, messageId), recipientId ? eq(trackingRecipients.id, recipientId) : undefined));
  if (recipients.length === 0) return 0;
  await s.db
    .insert(trackingOptOuts)
    .values(recipients.map((r) => ({ orgId: s.orgId, email: r.email, optedOutAt: s.now(), trackedMessageId: messageId })))
    .onConflictDoNothing();
  return recipients.length;
}
