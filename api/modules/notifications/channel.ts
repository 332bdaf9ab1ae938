// One way of telling people: the bell, email, the organization's Slack. The dispatcher
// (notify.service.ts) decides who gets a notice on which channel from the preferences; a channel
// only writes what it will deliver. Channels are listed once, in api/registry.ts.
import type { NotificationChannelId, NotificationKind } from '../../../core/notify/preferences.ts';
import type { MailTemplateName } from '../../../core/notify/templates.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';

/** A deal as rich messages (Slack, mail) show it. */
export interface NoticeDeal {
  id: string;
  name: string;
  value: { amount: number; currency: string } | null;
  stage: string | null;
  owner: string | null;
  /** deal_high_risk: the score (0–100) and its reasons as sentences. */
  risk?: { score: number; reasons: string[]; nextAction: string };
}

/** Something to tell: one per cause (an event, a job's finding), whatever the channels. */
export interface Notice {
  kind: NotificationKind;
  /** The members it concerns; member channels keep those whose preferences want it. */
  recipients: readonly string[];
  title: string;
  body: string | null;
  /** The web app's page about it, a path (e.g. `/app/deals/<id>`); channels make it absolute. */
  link: string;
  deal?: NoticeDeal;
  /** Kind-specific details (the in-app notification's `data`, the mail template's extras). */
  data: Record<string, unknown>;
  /** The email channel's message: a template of core/notify/templates.ts and its data (each recipient's `name` is added). */
  mail?: { template: MailTemplateName; data: Record<string, unknown> };
  /** Stable per cause (e.g. the event id): a channel writes nothing twice for one key. */
  dedupeKey: string;
  /** The domain event it comes from, if any: Slack keeps messages about one record in its order. */
  source?: { eventId: string; recordId: string | null };
}

export interface NoticeRecipient {
  userId: string;
  name: string;
  email: string;
  role: string;
  /** This member's browser-notification choice for the notice's kind (the in-app channel carries it). */
  browser: boolean;
}

export interface NotificationChannel {
  id: NotificationChannelId;
  /**
   * member: called with the recipients whose preferences want this kind on this channel (not
   * called when none do). organization: called once per notice, with no recipients, when the
   * organization's default for the kind on this channel is on (admins choose it).
   */
  audience: 'member' | 'organization';
  /**
   * Runs inside the consumer's (or job's) transaction, as the system: write or queue what is to be
   * delivered (a row, an outbox entry), never call the network here. Must be idempotent on
   * `notice.dedupeKey`.
   */
  deliver(s: Scope, notice: Notice, recipients: readonly NoticeRecipient[]): Promise<void>;
}
