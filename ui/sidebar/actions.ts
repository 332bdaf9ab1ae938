// What each button in the sidebar queues: a change, its idempotency key and the words a person
// reads while it is pending or if it is refused.
import { companyForSender } from '../../core/company-from-email.ts';
import { domainOf } from '../../core/email-address.ts';
import type { Activity, Company, Contact, Deal, Pipeline, ThreadContext } from '../api-client/api-types.ts';
import { pendingCompanyId, pendingId, type Change, type DealChange, type NewDeal } from './changes.ts';
import { contactName, splitName } from './format.ts';
import type { Participant } from './host.ts';

export interface Draft {
  key: string;
  change: Change;
  label: string;
  /** Said briefly once queued, with Undo (e.g. Moved “Acme” to Proposal). */
  done?: string;
  /** What takes the change back, for Undo once it was sent. */
  inverse?: Change;
}

const newKey = () => globalThis.crypto.randomUUID();

/**
 * An unknown sender becomes a contact, with the title from their signature if the rep kept it; a
 * company from the email domain only when it looks like one (not personal mail, a newsletter or a
 * mail platform: core/company-from-email.ts).
 */
export function createContactDraft(participant: Participant, context: ThreadContext, options: { title?: string | null; automated?: boolean } = {}, key = newKey()): Draft {
  const email = participant.email.trim().toLowerCase();
  const domain = domainOf(email);
  const offered = companyForSender(email, { automated: options.automated });
  const known = offered.name === null ? undefined : context.companies.find((c) => c.domain?.toLowerCase() === domain);
  const { firstName, lastName } = splitName(participant);
  const change: Change = {
    kind: 'createContact',
    tempId: pendingId(key),
    contact: { email, firstName, lastName, ...(options.title ? { title: options.title } : {}) },
    company: offered.name === null || known ? null : { tempId: pendingCompanyId(key), name: offered.name, domain },
    companyId: known?.id ?? null,
  };
  const who = [firstName, lastName].filter(Boolean).join(' ') || email;
  return {
    key, change, label: `Add ${who} as a contact`, done: `Added ${who} as a contact.`,
    // The contact only: a company created alongside may already hold other people by the time Undo is pressed.
    inverse: { kind: 'deleteContact', contactId: change.tempId, email },
  };
}

/** What the create-deal form starts with: the company and the thread's subject, without "Re:" and the like. */
export function suggestedDealName(contact: Contact, company: Company | undefined, subject: string): string {
  const topic = subject.replace(/^\s*((re|fwd?|aw|wg|sv|tr)\s*:\s*)+/i, '').trim();
  const who = company?.name ?? contactName(contact);
  if (!topic) return `${who} deal`;
  return topic.toLowerCase().includes(who.toLowerCase()) ? topic : `${who} — ${topic}`;
}

export function createDealDraft(contact: Contact, company: Company | undefined, fields: Omit<NewDeal, 'contactIds' | 'companyId'>, key: string = newKey()): Draft {
  const tempId = pendingId(key);
  const deal: NewDeal = { ...fields, contactIds: [contact.id], companyId: company?.id ?? contact.companyId ?? null };
  return {
    key,
    change: { kind: 'createDeal', tempId, deal },
    label: `Create the deal “${fields.name}”`,
    done: `Deal “${fields.name}” created.`,
    inverse: { kind: 'deleteDeal', dealId: tempId },
  };
}

export function stagesOf(deal: Deal, pipelines: Pipeline[]) {
  return pipelines.find((p) => p.id === deal.pipelineId)?.stages ?? [];
}

export function moveDealDraft(deal: Deal, stage: { id: string; name: string; lostReason?: string }, key = newKey()): Draft {
  const patch: DealChange = { stage: stage.id, ...(stage.lostReason ? { lostReason: stage.lostReason } : {}) };
  const back: DealChange = { stage: deal.stage, ...(stage.lostReason ? { lostReason: deal.lostReason } : {}) };
  return {
    key,
    change: { kind: 'updateDeal', dealId: deal.id, patch },
    label: `Move “${deal.name}” to ${stage.name}`,
    done: `Moved “${deal.name}” to ${stage.name}.`,
    inverse: { kind: 'updateDeal', dealId: deal.id, patch: back },
  };
}

export function editDealDraft(deal: Deal, patch: { valueCents?: number; expectedCloseDate?: string | null }, key = newKey()): Draft {
  const back: DealChange = {
    ...('valueCents' in patch ? { valueCents: deal.valueCents } : {}),
    ...('expectedCloseDate' in patch ? { expectedCloseDate: deal.expectedCloseDate } : {}),
  };
  return {
    key,
    change: { kind: 'updateDeal', dealId: deal.id, patch },
    label: `Update “${deal.name}”`,
    done: `Saved “${deal.name}”.`,
    inverse: { kind: 'updateDeal', dealId: deal.id, patch: back },
  };
}

export function noteDraft(body: string, contactIds: string[], dealIds: string[], key = newKey()): Draft {
  const short = body.length > 40 ? `${body.slice(0, 40)}…` : body;
  const tempId = pendingId(key);
  return {
    key, change: { kind: 'addNote', tempId, note: { body, contactIds, dealIds } }, label: `Add the note “${short}”`,
    done: 'Note added.', inverse: { kind: 'deleteActivity', activityId: tempId },
  };
}

export function taskDraft(subject: string, dueAt: string | null, contactIds: string[], dealIds: string[], key = newKey()): Draft {
  const tempId = pendingId(key);
  return {
    key, change: { kind: 'addTask', tempId, task: { subject, dueAt, contactIds, dealIds } }, label: `Add the task “${subject}”`,
    done: `Task “${subject}” added.`, inverse: { kind: 'deleteActivity', activityId: tempId },
  };
}

export function completeTaskDraft(task: Activity, key = newKey()): Draft {
  return { key, change: { kind: 'completeTask', taskId: task.id }, label: `Complete the task “${task.subject ?? 'task'}”` };
}
