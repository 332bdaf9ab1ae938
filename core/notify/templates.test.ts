// Every mail's plain-text part, as people read it: a change to what a mail says shows in review.
import { describe, expect, it } from 'vitest';
import { mailText } from './mail-document.ts';
import { mailTemplateNames, renderMailDocument, type MailTemplateName, type MailTemplates } from './templates.ts';

const ctx = { publicUrl: 'https://crm.example.com' };
const dealId = '7d1e3c52-0f4b-4a8e-9a51-3b2f1c0d9e87';

const samples: { [K in MailTemplateName]: MailTemplates[K] } = {
  invitation: { organizationName: 'Northwind', inviterName: 'Alex Morgan', role: 'rep', url: '/invite?token=abc123', expiresAt: 'Thu, 10 Dec 2026 16:00 UTC' },
  password_reset: { name: 'Riley Park', url: '/app/reset-password?token=tok' },
  email_verification: { name: 'Riley Park', url: 'https://crm.example.com/api/auth/verify-email?token=jwt' },
  deal_high_risk: { name: 'Riley Park', dealName: 'Acme renewal', dealId, score: 81, reasons: ['No reply from the buyer in 16 days', 'Stuck in Proposal for 3× the usual time'], nextAction: 'Call Dana Wu this week' },
  deal_assigned: { name: 'Sam Torres', dealName: 'Globex expansion', dealId, value: { amount: 48000, currency: 'EUR' }, stage: 'Negotiation', assignedBy: 'Jordan Blake' },
  task_due: { name: 'Riley Park', tasks: [{ title: 'Send the revised quote', due: 'today 15:00 UTC', dealName: 'Acme renewal' }, { title: 'Book the demo', due: 'today 17:30 UTC', dealName: null }] },
  task_overdue: { name: 'Riley Park', tasks: [{ title: 'Follow up with legal', due: '2026-12-02', dealName: 'Acme renewal' }] },
  weekly_digest: {
    name: 'Jordan Blake',
    organizationName: 'Northwind',
    from: '23 Nov',
    to: '29 Nov 2026',
    openPipeline: { now: { amount: 412500, currency: 'USD' }, weekAgo: { amount: 398000, currency: 'USD' } },
    won: [{ dealName: 'Initech pilot', value: { amount: 12000, currency: 'USD' }, owner: 'Riley Park' }],
    lost: [{ dealName: 'Umbrella renewal', value: { amount: 30000, currency: 'USD' }, owner: 'Sam Torres', reason: 'Went with a competitor' }],
    newAtRisk: [{ dealName: 'Acme renewal', dealId, owner: 'Riley Park', reasons: ['No reply from the buyer in 16 days'] }],
    activity: [
      { rep: 'Riley Park', emails: 34, calls: 5, meetings: 3, tasksDone: 9 },
      { rep: 'Sam Torres', emails: 21, calls: 8, meetings: 1, tasksDone: 4 },
    ],
  },
  notice: { heading: 'Your payment did not go through', paragraphs: ['We could not charge the card ending in 4242.'], button: { label: 'Update the card', url: '/app/settings/billing' } },
};

describe('mail templates', () => {
  it('cover every template', () => {
    expect(Object.keys(samples).sort()).toEqual([...mailTemplateNames].sort());
  });

  it.each(mailTemplateNames)('%s reads well as plain text', (name) => {
    const doc = renderMailDocument(name, samples[name] as never, ctx);
    expect(`Subject: ${doc.subject}\n\n${mailText(doc, ['Inbox CRM'])}`).toMatchSnapshot();
  });

  it('write every link out in full, on the public address', () => {
    const text = mailText(renderMailDocument('invitation', samples.invitation, ctx));
    expect(text).toContain('https://crm.example.com/invite?token=abc123');
    const digest = mailText(renderMailDocument('weekly_digest', { ...samples.weekly_digest, won: [], lost: [], newAtRisk: [], activity: [] }, ctx));
    expect(digest).toContain('No deal won this week.');
    expect(digest).toContain('No activity logged this week.');
  });
});
