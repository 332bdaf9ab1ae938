// The email channel of the notification dispatcher: one queued mail per recipient and notice,
// with the notice's template (or a plain notice), and an unsubscribe link for its kind.
import type { MailTemplateName, MailTemplates } from '../../../core/notify/templates.ts';
import type { NotificationChannel } from '../notifications/channel.ts';
import { queueMail } from './mail-outbox.service.ts';

export const emailChannel: NotificationChannel = {
  id: 'email',
  audience: 'member',
  async deliver(s, notice, recipients) {
    for (const r of recipients) {
      const mail = notice.mail ?? {
        template: 'notice' as const,
        data: { heading: notice.title, paragraphs: notice.body ? [notice.body] : [], button: { label: 'Open Inbox CRM', url: notice.link } },
      };
      await queueMail(s, {
        to: r.email,
        userId: r.userId,
        template: mail.template,
        data: { ...mail.data, name: r.name } as unknown as MailTemplates[MailTemplateName],
        kind: notice.kind,
        dedupeKey: `${notice.dedupeKey}:${r.userId}`,
      });
    }
  },
};
