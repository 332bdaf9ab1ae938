// The events that notify people. Each runs after the change committed, as the system, exactly once
// per event (api/platform/events/delivery.ts), builds one notice and hands it to the dispatcher,
// which sends it on every channel the recipients' preferences allow (the bell, email, Slack).
import { eq } from 'drizzle-orm';
import type { NotificationKind } from '../../../core/notify/preferences.ts';
import type { NextAction, RiskReason } from '../../../core/risk/score.ts';
import type { Deal } from '../../../core/schemas/deals.ts';
import { user } from '../../../db/schema/index.ts';
import type { EventConsumer } from '../../platform/events/consumer.ts';
import { getDeal } from '../records/deals.service.ts';
import { riskPoints } from '../risk/risk.service.ts';
import type { NotificationChannel } from './channel.ts';
import { highRiskRecipients } from './notifications.service.ts';
import { dispatchNotice } from './notify.service.ts';

/** The notification consumers, delivering to `channels` (api/registry.ts lists them). */
export function notificationConsumers(channels: readonly NotificationChannel[]): EventConsumer[] {
  return [highRiskNotifications(channels), firstOpenNotifications(channels), dealAssignedNotifications(channels), pipelineNotifications(channels)];
}

/** A deal that entered the high band (from any other band, or unscored) notifies its owner and managers. */
const highRiskNotifications = (channels: readonly NotificationChannel[]): EventConsumer => ({
  name: 'notify-high-risk',
  types: ['deal.risk_changed'],
  async handle(s, event) {
    const band = event.changes.band;
    if (!band || band.new !== 'high' || band.old === 'high') return;
    const data = event.data as { dealName: string; ownerId: string | null; valueCents?: number; currency?: string; reasons: RiskReason[]; nextAction: NextAction };
    const score = riskPoints(Number(event.changes.score?.new ?? 0));
    const top = data.reasons[0];
    // A risk change carries no stage or owner names: read the deal as it is now (gone: without them).
    const deal = await getDeal(s, event.recordId).catch(() => null);
    await dispatchNotice(
      s,
      {
        kind: 'deal_high_risk',
        recipients: await highRiskRecipients(s, data.ownerId),
        title: `${data.dealName} is at high risk (${score})`,
        body: top ? `${top.sentence}. ${data.nextAction.sentence}` : data.nextAction.sentence,
        link: `/app/deals/${event.recordId}`,
        deal: {
          id: event.recordId,
          name: data.dealName,
          value: data.valueCents !== undefined && data.currency ? { amount: data.valueCents / 100, currency: data.currency } : null,
          stage: deal?.stageInfo.name ?? null,
          owner: deal?.owner?.name ?? null,
          risk: { score, reasons: data.reasons.map((r) => r.sentence), nextAction: data.nextAction.sentence },
        },
        data: { score, band: 'high', reasonCodes: data.reasons.map((r) => r.code), nextAction: data.nextAction.code },
        mail: {
          template: 'deal_high_risk',
          data: { dealName: data.dealName, dealId: event.recordId, score, reasons: data.reasons.map((r) => r.sentence), nextAction: data.nextAction.sentence },
        },
        dedupeKey: `deal_high_risk:${event.recordId}:${event.id}`,
        source: { eventId: event.id, recordId: event.recordId },
      },
      channels,
    );
  },
});

/** The first counted open of a tracked email notifies its sender, once per message. */
const firstOpenNotifications = (channels: readonly NotificationChannel[]): EventConsumer => ({
  name: 'notify-first-open',
  types: ['email.opened'],
  async handle(s, event) {
    const data = event.data as {
      firstCountedOpen?: boolean;
      senderId?: string | null;
      subject?: string | null;
      recipientName?: string;
      explanation?: string;
      messageId?: string | null;
      threadId?: string | null;
    };
    if (!data.firstCountedOpen || !data.senderId) return;
    const subject = data.subject?.trim() || '(no subject)';
    await dispatchNotice(
      s,
      {
        kind: 'email_opened',
        recipients: [data.senderId],
        title: `${data.recipientName ?? 'A recipient'} opened “${subject}”`,
        body: data.explanation ?? null,
        link: '/app/',
        data: { trackedMessageId: event.recordId, messageId: data.messageId ?? null, threadId: data.threadId ?? null, subject: data.subject ?? null },
        dedupeKey: `email_opened:${event.recordId}`,
        source: { eventId: event.id, recordId: event.recordId },
      },
      channels,
    );
  },
});

/** A deal given to someone (created for them, or moved to them) by somebody else tells its new owner. */
const dealAssignedNotifications = (channels: readonly NotificationChannel[]): EventConsumer => ({
  name: 'notify-deal-assigned',
  types: ['deal.created', 'deal.owner_changed'],
  async handle(s, event) {
    const deal = (event.data as { deal?: Deal }).deal;
    if (!deal?.ownerId || deal.ownerId === event.actorId) return;
    if (event.type === 'deal.created' && !event.actorId) return; // imports and the system assign nothing to tell
    const value = { amount: deal.valueCents / 100, currency: deal.currency };
    const [actor] = event.actorId ? await s.db.select({ name: user.name }).from(user).where(eq(user.id, event.actorId)) : [];
    await dispatchNotice(
      s,
      {
        kind: 'deal_assigned',
        recipients: [deal.ownerId],
        title: `${deal.name} was assigned to you`,
        body: `${deal.stageInfo.name}`,
        link: `/app/deals/${deal.id}`,
        deal: { id: deal.id, name: deal.name, value, stage: deal.stageInfo.name, owner: deal.owner?.name ?? null },
        data: { assignedBy: event.actorId },
        mail: { template: 'deal_assigned', data: { dealName: deal.name, dealId: deal.id, value, stage: deal.stageInfo.name, assignedBy: actor?.name ?? null } },
        dedupeKey: `deal_assigned:${deal.id}:${event.id}`,
        source: { eventId: event.id, recordId: deal.id },
      },
      channels,
    );
  },
});

const pipelineKinds: Partial<Record<string, { kind: NotificationKind; title: (name: string) => string }>> = {
  'deal.created': { kind: 'deal_created', title: (name) => `New deal: ${name}` },
  'deal.stage_changed': { kind: 'deal_stage_changed', title: (name) => `${name} moved stage` },
  'deal.closed_won': { kind: 'deal_won', title: (name) => `${name} was won` },
  'deal.closed_lost': { kind: 'deal_lost', title: (name) => `${name} was lost` },
};

/**
 * The pipeline's moves (a new deal, a stage change, a win or a loss) concern the team, not one
 * member: organization channels only (the Slack connections subscribed to the kind).
 */
const pipelineNotifications = (channels: readonly NotificationChannel[]): EventConsumer => ({
  name: 'notify-pipeline',
  types: ['deal.created', 'deal.stage_changed', 'deal.closed_won', 'deal.closed_lost'],
  async handle(s, event) {
    const deal = (event.data as { deal?: Deal }).deal;
    const what = pipelineKinds[event.type];
    if (!deal || !what) return;
    await dispatchNotice(
      s,
      {
        kind: what.kind,
        recipients: [],
        title: what.title(deal.name),
        body: deal.stageInfo.name,
        link: `/app/deals/${deal.id}`,
        deal: { id: deal.id, name: deal.name, value: { amount: deal.valueCents / 100, currency: deal.currency }, stage: deal.stageInfo.name, owner: deal.owner?.name ?? null },
        data: {},
        dedupeKey: `${what.kind}:${deal.id}:${event.id}`,
        source: { eventId: event.id, recordId: deal.id },
      },
      channels,
    );
  },
});
