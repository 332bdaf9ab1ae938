// What each button in the sidebar queues: a change, its idempotency key and the words a person
// reads while it is pending or if it is refused.
import { domainOf, isFreeMailDomain } from '../../core/email-address.ts';
import type { Activity, Company, Contact, Deal, Pipeline, ThreadContext } from '../api-client/api-types.ts';
import { pendingCompanyId, pendingId, type Change } from './changes.ts';
import { companyNameFromDomain, contactName, splitName } from './format.ts';
import type { Participant } from './host.ts';

export interface Draft {
  key: string;
  change: Change;
  label: string;
}

const newKey = () => globalThis.crypto.randomUUID();

/** An unknown sender becomes a contact; a company from the email domain unless it is personal mail. */
export function createContactDraft(participant: Participant, context: ThreadContext, key = newKey()): Draft {
  const email = participant.email.trim().toLowerCase();
  const domain = domainOf(email);
  const personal = isFreeMailDomain(domain);
  const known = personal ? undefined : context.companies.find((c) => c.domain?.toLowerCase() === domain);
  const { firstName, lastName } = splitName(participant);
  const change: Change = {
    kind: 'createContact',
    tempId: pendingId(key),
    contact: { email, firstName, lastName },
    company: personal || known ? null : { tempId: pendingCompanyId(key), name: companyNameFromDomain(domain), domain },
    companyId: known?.id ?? null,
  };
  const who = [firstName, lastName].filter(Boolean).join(' ') || email;
  return { key, change, label: `Add ${who} as a contact` };
}

export function createDealDraft(contact: Contact, company: Company | undefined, key = newKey()): Draft {
  const name = `${company?.name ?? contactName(contact)} deal`;
  return {
    key,
    change: { kind: 'createDeal', tempId: pendingId(key), deal: { name, contactIds: [contact.id], companyId: company?.id ?? contact.companyId ?? null } },
    label: `Create the deal “${name}”`,
  };
}

export function stagesOf(deal: Deal, pipelines: Pipeline[]) {
  return pipelines.find((p) => p.id === deal.pipelineId)?.stages ?? [];
}

export function moveDealDraft(deal: Deal, stage: { id: string; name: string }, key = newKey()): Draft {
  return { key, change: { kind: 'updateDeal', dealId: deal.id, patch: { stage: stage.id } }, label: `Move “${deal.name}” to ${stage.name}` };
}

export function editDealDraft(deal: Deal, patch: { valueCents?: number; expectedCloseDate?: string | null }, key = newKey()): Draft {
  return { key, change: { kind: 'updateDeal', dealId: deal.id, patch }, label: `Update “${deal.name}”` };
}

export function noteDraft(body: string, contactIds: string[], dealIds: string[], key = newKey()): Draft {
  const short = body.length > 40 ? `${body.slice(0, 40)}…` : body;
  return { key, change: { kind: 'addNote', tempId: pendingId(key), note: { body, contactIds, dealIds } }, label: `Add the note “${short}”` };
}

export function taskDraft(subject: string, dueAt: string | null, contactIds: string[], dealIds: string[], key = newKey()): Draft {
  return { key, change: { kind: 'addTask', tempId: pendingId(key), task: { subject, dueAt, contactIds, dealIds } }, label: `Add the task “${subject}”` };
}

export function completeTaskDraft(task: Activity, key = newKey()): Draft {
  return { key, change: { kind: 'completeTask', taskId: task.id }, label: `Complete the task “${task.subject ?? 'task'}”` };
}
