// Slack incoming webhooks: the Block Kit message for a notification (a kind of the one catalogue,
// core/notify/preferences.ts), and what Slack's answer means. Pure: the Slack notification channel
// (api/modules/slack/slack.channel.ts) gathers the deal's names (stage, owner) and queues it.
import type { NotificationKind } from '../notify/preferences.ts';
import type { AttemptOutcome } from './retry.ts';

export interface SlackDeal {
  id: string;
  name: string;
  valueCents: number | null;
  currency: string | null;
  stageName: string | null;
  ownerName: string | null;
}

export interface SlackEvent {
  /** The notification kind (or the test message). */
  type: NotificationKind | 'webhook.test';
  /** The deal the event is about, when it is about one. */
  deal?: SlackDeal | null;
  /** deal_high_risk: 0–100 and why. */
  risk?: { score: number; reasons: { sentence: string }[]; nextAction: string | null } | null;
  /** A one-line description for notifications that are not about a deal. */
  summary?: string;
}

export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

const headline: Record<SlackEvent['type'], string> = {
  deal_created: 'New deal',
  deal_stage_changed: 'Deal moved',
  deal_high_risk: 'Deal at high risk',
  deal_won: 'Deal won',
  deal_lost: 'Deal lost',
  deal_assigned: 'Deal assigned',
  email_opened: 'Email opened',
  task_due: 'Task due',
  task_overdue: 'Task overdue',
  weekly_digest: 'Weekly digest',
  'webhook.test': 'Test message',
};

/** Slack's mrkdwn treats these three as control characters: user text must not open a link or mention. */
export const escapeMrkdwn = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function formatMoney(valueCents: number | null, currency: string | null): string {
  if (valueCents === null || !currency) return '—';
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(valueCents / 100);
}

/** The message for an event: a headline, the deal's facts as fields, the risk reasons, a dashboard link. */
export function slackMessage(event: SlackEvent, appUrl: string): SlackMessage {
  // A row queued before a kind was renamed still gets a message, with a plain headline.
  const title = headline[event.type] ?? 'Notification';
  const deal = event.deal ?? null;
  const blocks: Record<string, unknown>[] = [];
  if (event.type === 'webhook.test') {
    const text = 'Inbox CRM is connected to this channel. Deal alerts you chose will appear here.';
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*${title}*\n${text}` } }] };
  }
  if (!deal) {
    const text = `${title}: ${event.summary ?? ''}`.trim();
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*${title}*\n${escapeMrkdwn(event.summary ?? '')}` } }] };
  }
  const link = `${appUrl.replace(/\/$/, '')}/app/deals/${deal.id}`;
  const name = escapeMrkdwn(deal.name);
  blocks.push({ type: 'header', text: { type: 'plain_text', text: `${title}: ${deal.name}`.slice(0, 150), emoji: false } });
  blocks.push({
    type: 'section',
    fields: [
      { type: 'mrkdwn', text: `*Deal*\n<${link}|${name}>` },
      { type: 'mrkdwn', text: `*Value*\n${formatMoney(deal.valueCents, deal.currency)}` },
      { type: 'mrkdwn', text: `*Stage*\n${escapeMrkdwn(deal.stageName ?? '—')}` },
      { type: 'mrkdwn', text: `*Owner*\n${escapeMrkdwn(deal.ownerName ?? 'Unassigned')}` },
    ],
  });
  if (event.risk) {
    const reasons = event.risk.reasons.map((r) => `• ${escapeMrkdwn(r.sentence)}`).join('\n');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Risk ${event.risk.score}/100*${reasons ? `\n${reasons}` : ''}` } });
    if (event.risk.nextAction) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Next: ${escapeMrkdwn(event.risk.nextAction)}` }] });
  }
  blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Inbox CRM' }, url: link }] });
  const risk = event.risk ? ` (risk ${event.risk.score}/100)` : '';
  return { text: `${title}: ${deal.name}${risk}`, blocks };
}

/** Slack error bodies that mean the URL will never work again: the admin must reconnect. */
const permanentErrors = new Set(['no_service', 'no_service_id', 'no_team', 'team_disabled', 'invalid_token', 'action_prohibited', 'channel_not_found', 'channel_is_archived', 'posting_to_general_channel_denied']);

/**
 * What Slack's answer to an incoming-webhook post means: 200 "ok" delivered; a revoked or archived
 * target (404 no_service, 403 invalid_token, 410 channel_is_archived, …) is permanent; 429 and
 * server errors are retried (429 after its Retry-After).
 */
export function slackOutcome(status: number | null, body: string): { outcome: AttemptOutcome; error: string | null } {
  const code = body.trim().slice(0, 100);
  if (status !== null && status >= 200 && status < 300) return { outcome: 'delivered', error: null };
  if (status === null) return { outcome: 'retry', error: null };
  if (permanentErrors.has(code) || status === 404 || status === 410) return { outcome: 'gone', error: code || `HTTP ${status}` };
  return { outcome: 'retry', error: code || `HTTP ${status}` };
}
