// The events that notify people in the app. Each runs after the change committed, as the system,
// exactly once per event (api/platform/events/delivery.ts).
import type { NextAction, RiskReason } from '../../../core/risk/score.ts';
import type { EventConsumer } from '../../platform/events/consumer.ts';
import { notifyDealsEnteredHighRisk, notifyEmailOpened } from './notifications.service.ts';

/** A deal that entered the high band (from any other band, or unscored) notifies its owner and managers. */
export const highRiskNotifications: EventConsumer = {
  name: 'notify-high-risk',
  types: ['deal.risk_changed'],
  async handle(s, event) {
    const band = event.changes.band;
    if (!band || band.new !== 'high' || band.old === 'high') return;
    const data = event.data as { dealName: string; ownerId: string | null; reasons: RiskReason[]; nextAction: NextAction };
    await notifyDealsEnteredHighRisk(s, [
      {
        deal: { id: event.recordId, name: data.dealName, ownerId: data.ownerId },
        risk: { score: Number(event.changes.score?.new ?? 0), band: 'high', reasons: data.reasons, nextAction: data.nextAction },
        transitionKey: event.id,
      },
    ]);
  },
};

/** The first counted open of a tracked email notifies its sender, once per message. */
export const firstOpenNotifications: EventConsumer = {
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
    await notifyEmailOpened(s, data.senderId, {
      title: `${data.recipientName ?? 'A recipient'} opened “${subject}”`,
      body: data.explanation ?? null,
      data: { trackedMessageId: event.recordId, messageId: data.messageId ?? null, threadId: data.threadId ?? null, subject: data.subject ?? null },
      dedupeKey: `email_opened:${event.recordId}`,
    });
  },
};
