// Queuing mail: a row in mail_outbox, written in the transaction of its cause, so the mail exists
// if and only if the cause committed, and is sent (with retries) by the mail worker
// (mail-sender.ts). Nothing here talks to an SMTP server.
//
// For features that come later (billing: a failed payment, a trial ending), `queueMail` with the
// `notice` template (or a template of their own added to core/notify/templates.ts) is the one call.
import type { NotificationKind } from '../../../core/notify/preferences.ts';
import type { MailTemplateName, MailTemplates } from '../../../core/notify/templates.ts';
import type { Db } from '../../../db/client.ts';
import { mailOutbox } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';

export interface QueuedMail<K extends MailTemplateName = MailTemplateName> {
  to: string;
  /** The member it is for, if any (non-essential mail needs one: its unsubscribe link is theirs). */
  userId: string | null;
  template: K;
  data: MailTemplates[K];
  /**
   * Non-essential mail names its notification kind: it gets a one-click unsubscribe link that
   * turns that kind's email off for the member. Essential mail (invitations, account, billing) has none.
   */
  kind?: NotificationKind;
  /** Stable per cause: the same key queued twice is one mail. */
  dedupeKey: string;
}

/** Queues a mail of the scope's organization in its transaction. */
export async function queueMail<K extends MailTemplateName>(s: Scope, mail: QueuedMail<K>): Promise<void> {
  await s.db
    .insert(mailOutbox)
    .values({
      orgId: s.orgId,
      userId: mail.userId,
      toAddress: mail.to,
      template: mail.template,
      data: mail.data as unknown as Record<string, unknown>,
      kind: mail.kind ?? null,
      dedupeKey: `${s.orgId}:${mail.dedupeKey}`,
      nextAttemptAt: s.now(),
      createdAt: s.now(),
    })
    .onConflictDoNothing();
}

/** Account mail (email verification, password reset), which belongs to no organization. */
export async function queueAccountMail<K extends 'email_verification' | 'password_reset'>(db: Db, mail: Omit<QueuedMail<K>, 'kind'>): Promise<void> {
  await db
    .insert(mailOutbox)
    .values({ userId: mail.userId, toAddress: mail.to, template: mail.template, data: mail.data as unknown as Record<string, unknown>, dedupeKey: `account:${mail.dedupeKey}` })
    .onConflictDoNothing();
}
