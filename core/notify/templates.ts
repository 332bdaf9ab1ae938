// Every mail the product sends, as a pure function of its data: what it says in both parts, in
// one place. Links are given as paths of the web app and made absolute with the public address
// when the mail is sent, so a queued mail never carries a stale host.
import type { MailBlock, MailDocument } from './mail-document.ts';

export interface MailContext {
  /** PUBLIC_URL, without a trailing slash. */
  publicUrl: string;
}

const at = (ctx: MailContext, path: string) => (/^https?:\/\//.test(path) ? path : `${ctx.publicUrl}${path}`);

export interface MoneyValue {
  amount: number;
  currency: string;
}
const money = (v: MoneyValue | null | undefined) =>
  v ? new Intl.NumberFormat('en-US', { style: 'currency', currency: v.currency, maximumFractionDigits: 0 }).format(v.amount) : 'no value';

export interface MailTemplates {
  invitation: { organizationName: string; inviterName: string; role: string; url: string; expiresAt: string };
  password_reset: { name: string; url: string };
  email_verification: { name: string; url: string };
  deal_high_risk: { name: string; dealName: string; dealId: string; score: number; reasons: string[]; nextAction: string };
  deal_assigned: { name: string; dealName: string; dealId: string; value: MoneyValue | null; stage: string; assignedBy: string | null };
  task_due: { name: string; tasks: { title: string; due: string; dealName: string | null }[] };
  task_overdue: { name: string; tasks: { title: string; due: string; dealName: string | null }[] };
  weekly_digest: {
    name: string;
    organizationName: string;
    /** The week's first and last day, e.g. "24 Nov" … "30 Nov 2026". */
    from: string;
    to: string;
    openPipeline: { now: MoneyValue; weekAgo: MoneyValue };
    won: { dealName: string; value: MoneyValue | null; owner: string }[];
    lost: { dealName: string; value: MoneyValue | null; owner: string; reason: string | null }[];
    newAtRisk: { dealName: string; dealId: string; owner: string; reasons: string[] }[];
    activity: { rep: string; emails: number; calls: number; meetings: number; tasksDone: number }[];
  };
  /** For billing and other features that come later: a plain message with one optional button. */
  notice: { heading: string; paragraphs: string[]; button?: { label: string; url: string } };
}

export type MailTemplateName = keyof MailTemplates;

type Render<K extends MailTemplateName> = (data: MailTemplates[K], ctx: MailContext) => MailDocument;

const taskList = (tasks: MailTemplates['task_due']['tasks']) =>
  tasks.map((t) => `${t.title} (due ${t.due}${t.dealName ? `, ${t.dealName}` : ''})`);

const renderers: { [K in MailTemplateName]: Render<K> } = {
  invitation: (d, ctx) => ({
    subject: `${d.inviterName} invited you to ${d.organizationName} on Inbox CRM`,
    preview: `Join ${d.organizationName} as ${d.role}.`,
    blocks: [
      { type: 'heading', text: `Join ${d.organizationName}` },
      { type: 'paragraph', text: `${d.inviterName} invited you to work with the team on Inbox CRM as ${d.role}: the deals, contacts and tasks of your inbox, next to every thread.` },
      { type: 'button', label: 'Accept the invitation', url: at(ctx, d.url) },
      { type: 'note', text: `The link works until ${d.expiresAt}. If you did not expect this invitation, ignore this mail: nothing happens unless you accept.` },
    ],
  }),
  password_reset: (d, ctx) => ({
    subject: 'Reset your Inbox CRM password',
    preview: 'Choose a new password with this link.',
    blocks: [
      { type: 'paragraph', text: `Hello ${d.name},` },
      { type: 'paragraph', text: 'Someone (we hope you) asked to reset the password of your Inbox CRM account. Choose a new one here:' },
      { type: 'button', label: 'Choose a new password', url: at(ctx, d.url) },
      { type: 'note', text: 'The link works for one hour and only once. If you did not ask for it, ignore this mail: your password stays as it is.' },
    ],
  }),
  email_verification: (d, ctx) => ({
    subject: 'Confirm your email address for Inbox CRM',
    preview: 'One click to confirm this address is yours.',
    blocks: [
      { type: 'paragraph', text: `Hello ${d.name},` },
      { type: 'paragraph', text: 'Please confirm that this address is yours, so your organization can rely on it:' },
      { type: 'button', label: 'Confirm my address', url: at(ctx, d.url) },
      { type: 'note', text: 'If you did not sign up for Inbox CRM, ignore this mail.' },
    ],
  }),
  deal_high_risk: (d, ctx) => ({
    subject: `${d.dealName} is at high risk (${d.score})`,
    preview: d.reasons[0] ?? d.nextAction,
    blocks: [
      { type: 'heading', text: `${d.dealName} entered high risk` },
      { type: 'paragraph', text: `Its risk score is now ${d.score} out of 100. Why:` },
      { type: 'list', items: d.reasons.length ? d.reasons : ['No single reason stands out.'] },
      { type: 'paragraph', text: `Suggested next step: ${d.nextAction}` },
      { type: 'button', label: 'Open the deal', url: at(ctx, `/app/deals/${d.dealId}`) },
    ],
  }),
  deal_assigned: (d, ctx) => ({
    subject: `${d.dealName} is now yours`,
    preview: `${money(d.value)}, ${d.stage}`,
    blocks: [
      { type: 'paragraph', text: `Hello ${d.name},` },
      { type: 'paragraph', text: `${d.assignedBy ?? 'Someone'} assigned the deal ${d.dealName} to you. It is worth ${money(d.value)} and in the stage ${d.stage}.` },
      { type: 'button', label: 'Open the deal', url: at(ctx, `/app/deals/${d.dealId}`) },
    ],
  }),
  task_due: (d, ctx) => ({
    subject: d.tasks.length === 1 ? `Due today: ${d.tasks[0]!.title}` : `${d.tasks.length} tasks due today`,
    preview: d.tasks.map((t) => t.title).join(', '),
    blocks: [
      { type: 'paragraph', text: `Hello ${d.name}, ${d.tasks.length === 1 ? 'this task is' : 'these tasks are'} due today:` },
      { type: 'list', items: taskList(d.tasks) },
      { type: 'button', label: 'See your tasks', url: at(ctx, '/app/') },
    ],
  }),
  task_overdue: (d, ctx) => ({
    subject: d.tasks.length === 1 ? `Overdue: ${d.tasks[0]!.title}` : `${d.tasks.length} tasks are overdue`,
    preview: d.tasks.map((t) => t.title).join(', '),
    blocks: [
      { type: 'paragraph', text: `Hello ${d.name}, ${d.tasks.length === 1 ? 'this task is' : 'these tasks are'} past due and still open:` },
      { type: 'list', items: taskList(d.tasks) },
      { type: 'button', label: 'See your tasks', url: at(ctx, '/app/') },
    ],
  }),
  weekly_digest: (d, ctx) => {
    const change = d.openPipeline.now.amount - d.openPipeline.weekAgo.amount;
    const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
    const blocks: MailBlock[] = [
      { type: 'heading', text: `${d.organizationName}: the week of ${d.from} to ${d.to}` },
      {
        type: 'paragraph',
        text: `Open pipeline: ${money(d.openPipeline.now)} (${sign}${money({ amount: Math.abs(change), currency: d.openPipeline.now.currency })} since a week ago). Won: ${d.won.length}, lost: ${d.lost.length}.`,
      },
      { type: 'heading', text: 'Won' },
      d.won.length ? { type: 'list', items: d.won.map((w) => `${w.dealName}, ${money(w.value)} (${w.owner})`) } : { type: 'note', text: 'No deal won this week.' },
      { type: 'heading', text: 'Lost' },
      d.lost.length
        ? { type: 'list', items: d.lost.map((l) => `${l.dealName}, ${money(l.value)} (${l.owner})${l.reason ? `: ${l.reason}` : ''}`) }
        : { type: 'note', text: 'No deal lost this week.' },
      { type: 'heading', text: 'New at risk' },
      d.newAtRisk.length
        ? { type: 'list', items: d.newAtRisk.map((r) => `${r.dealName} (${r.owner}): ${r.reasons.join('; ') || 'several small signals'}`) }
        : { type: 'note', text: 'No deal entered high risk this week.' },
      { type: 'heading', text: 'Activity per rep' },
      d.activity.length
        ? { type: 'table', columns: ['Rep', 'Emails', 'Calls', 'Meetings', 'Tasks done'], rows: d.activity.map((a) => [a.rep, String(a.emails), String(a.calls), String(a.meetings), String(a.tasksDone)]) }
        : { type: 'note', text: 'No activity logged this week.' },
      { type: 'button', label: 'Open the pipeline', url: at(ctx, '/app/board') },
    ];
    return { subject: `Weekly digest for ${d.organizationName}: ${d.won.length} won, ${d.lost.length} lost, ${d.newAtRisk.length} new at risk`, preview: `Open pipeline ${money(d.openPipeline.now)}`, blocks };
  },
  notice: (d, ctx) => ({
    subject: d.heading,
    preview: d.paragraphs[0] ?? d.heading,
    blocks: [
      { type: 'heading', text: d.heading },
      ...d.paragraphs.map((text): MailBlock => ({ type: 'paragraph', text })),
      ...(d.button ? [{ type: 'button', label: d.button.label, url: at(ctx, d.button.url) } as MailBlock] : []),
    ],
  }),
};

export const mailTemplateNames = Object.keys(renderers) as MailTemplateName[];

export function renderMailDocument<K extends MailTemplateName>(name: K, data: MailTemplates[K], ctx: MailContext): MailDocument {
  return (renderers[name] as Render<K>)(data, ctx);
}
