// The sender's own Sent copy of a tracked message, recognised by the open pixel in its body.
//
// Outlook knows no Message-ID while a message is composed, and its on-send handler reports the
// tracked message sent under a placeholder (outlook-sent:<id>) so its links work at once. The Sent
// copy, when the sender's pane shows it, has the RFC 822 Message-ID but not the custom headers a
// compose add-in set (Outlook strips them from the sender's copy), so the pane finds the signed pixel
// in the copy's HTML and reports it here: the tracked message is tied to the copy's Message-ID (what
// the email log, the sidebar's tracking lookups and the sender-view rule go by) and the sender is
// looking at it now, so the pixel fetch of that very display is theirs, not a recipient's open.
//
// Guards: only the sender's own messages; only pixels this API signed; a tracked message already tied
// to a Message-ID is never moved to another (a forward of it carries the same pixel); and the copy
// must be from within a day of the send report.
import { and, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import { AppError, forbidden } from '../../../core/errors.ts';
import { isRfcMessageId, normalizeMessageId } from '../../../core/mail/message-id.ts';
import type { SentCopyReport, TrackedMessageSummary } from '../../../core/schemas/tracking.ts';
import { normalizeBaseUrl, tokenFromPixelSegment, verifyToken } from '../../../core/tracking/tokens.ts';
import { senderViews, trackedMessages } from '../../../db/schema/index.ts';
import type { TrackingDeps } from '../../env.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { activityIdOfMessage } from '../emails/email-identity.ts';
import { trackedSummaries } from './tracking-summaries.service.ts';

const TIE_WINDOW_MS = 24 * 3_600_000;

/** The tracked message ids named by the pixel URLs this API signed (open pixels on its tracking base). */
export function trackedIdsFromPixels(urls: readonly string[], tracking: Pick<TrackingDeps, 'baseUrl' | 'keyring'>): string[] {
  const base = `${normalizeBaseUrl(tracking.baseUrl)}/o/`;
  const ids = new Set<string>();
  for (const raw of urls) {
    let url: URL;
    try {
      url = new URL(raw.replace(/&amp;/g, '&'));
    } catch {
      continue;
    }
    const path = url.origin + url.pathname;
    if (!path.startsWith(base)) continue;
    const token = tokenFromPixelSegment(path.slice(base.length));
    const verified = token ? verifyToken(token, tracking.keyring) : null;
    if (verified?.kind === 'open') ids.add(verified.messageId);
  }
  return [...ids];
}

export async function recordSentCopy(s: Scope, input: z.output<typeof SentCopyReport>, tracking: Pick<TrackingDeps, 'baseUrl' | 'keyring'>): Promise<TrackedMessageSummary[]> {
  if (!s.actor.userId) throw forbidden('Only a person has a Sent folder');
  const messageId = normalizeMessageId(input.messageId);
  if (!messageId) throw new AppError('VALIDATION_FAILED', 'messageId must be an RFC 822 Message-ID, <left@right>', { messageId: ['not a Message-ID'] });
  const ids = trackedIdsFromPixels(input.pixelUrls, tracking);
  if (ids.length === 0) return [];
  const mine = await s.db
    .select({ id: trackedMessages.id, messageId: trackedMessages.messageId, sentAt: trackedMessages.sentAt })
    .from(trackedMessages)
    .where(and(inArray(trackedMessages.id, ids), eq(trackedMessages.senderId, s.actor.userId)));
  const copySentAt = input.sentAt ? new Date(input.sentAt) : null;
  const concerned: string[] = [];
  for (const m of mine) {
    if (m.messageId === messageId) {
      concerned.push(m.id);
      continue;
    }
    if (m.messageId && isRfcMessageId(m.messageId)) continue; // tied to another copy already: this one is a forward
    if (copySentAt && Math.abs(copySentAt.getTime() - m.sentAt.getTime()) > TIE_WINDOW_MS) continue;
    const activityId = await activityIdOfMessage(s, messageId);
    await s.db
      .update(trackedMessages)
      .set({ messageId, ...(input.threadId ? { threadId: input.threadId } : {}), ...(activityId ? { activityId } : {}) })
      .where(eq(trackedMessages.id, m.id));
    concerned.push(m.id);
  }
  if (concerned.length === 0) return [];
  await s.db.insert(senderViews).values(concerned.map((id) => ({ orgId: s.orgId, trackedMessageId: id, at: s.now() })));
  return trackedSummaries(s, { ids: concerned });
}
