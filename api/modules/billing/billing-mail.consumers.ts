// The billing mails: a failed payment and a Stripe trial about to end reach every active admin by
// email (essential mail: no unsubscribe), queued in the consumer's transaction so a redelivered
// event queues nothing twice (the dedupe key names the event).
import { eq } from 'drizzle-orm';
import { organizations } from '../../../db/schema/index.ts';
import type { EventConsumer } from '../../platform/events/consumer.ts';
import { queueMail } from '../mail/mail-outbox.service.ts';
import { activeAdmins } from '../notifications/notifications.service.ts';

const GRACE_DAYS = 7;

export const billingMails: EventConsumer = {
  name: 'billing-mails',
  types: ['billing.payment_failed', 'billing.trial_will_end'],
  async handle(s, event) {
    const [org] = await s.db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, s.orgId));
    const admins = await activeAdmins(s);
    const name = org?.name ?? 'your organization';
    const trialEnd = typeof event.data.trialEnd === 'string' ? new Date(event.data.trialEnd).toUTCString().slice(0, 16) : null;
    const notice =
      event.type === 'billing.payment_failed'
        ? {
            heading: `Payment failed for ${name}`,
            paragraphs: [
              `Stripe could not charge the card on file for ${name}'s subscription.`,
              `Everything keeps working for ${GRACE_DAYS} days. After that the organization becomes read-only until the invoice is paid: nothing is deleted, and reads and exports still work.`,
            ],
            button: { label: 'Update the card', url: '/app/settings/billing' },
          }
        : {
            heading: `${name}'s trial ends${trialEnd ? ` on ${trialEnd}` : ' soon'}`,
            paragraphs: [`The subscription starts being charged when the trial ends. Check the plan, the seats and the card before then.`],
            button: { label: 'Review billing', url: '/app/settings/billing' },
          };
    for (const admin of admins) {
      await queueMail(s, { to: admin.email, userId: admin.userId, template: 'notice', data: notice, dedupeKey: `${event.type}:${event.id}:${admin.userId}` });
    }
  },
};
