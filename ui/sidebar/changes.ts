// The changes a rep makes from the sidebar, as data: they are queued (outbox.ts), shown at once on
// top of the last known context (overlay), and merged into it when the server confirms them.
// Pure functions only; `now` is passed in.
import type { Activity, Company, Contact, Deal, EmailLogResult, Pipeline, ThreadContext } from '../api-client/api-types.ts';
import type { EmailLogInput } from '../api-client/sidebar-api.ts';

/** Ids of records that exist only in the outbox so far; replaced by real ids once created. */
export const pendingId = (key: string) => `pending:${key}`;
export const pendingCompanyId = (key: string) => `pending:${key}:company`;
export interface NewContact {
  email: string;
  firstName: string | null;
  lastName: string | null;
  /** Taken from their signature when the rep kept the offer. */
  title?: string | null;
}

export interface NewDeal {
  name: string;
  contactIds: string[];
  companyId: string | null;
  valueCents?: number;
  expectedCloseDate?: string | null;
  /** A stage of the default pipeline; its first stage when absent. */
  stage?: string;
}

export interface DealChange {
  stage?: string;
  valueCents?: number;
  expectedCloseDate?: string | null;
  lostReason?: string | null;
}

export type Change =
  | {
      kind: 'createContact';
      tempId: string;
      contact: NewContact;
      /** Create (or reuse) this company first; null for free-mail addresses. */
      company: { tempId: string; name: string; domain: string } | null;
      /** A company already known for the domain. */
      companyId: string | null;
    }
  | { kind: 'createDeal'; tempId: string; deal: NewDeal }
  | { kind: 'updateDeal'; dealId: string; patch: DealChange }
  /** Only as the undo of a deal just created here. */
  | { kind: 'deleteDeal'; dealId: string }
  /** Only as the undo of a contact just created here; its address is an unknown sender again. */
  | { kind: 'deleteContact'; contactId: string; email: string }
  /** Only as the undo of a note or task just added here. */
  | { kind: 'deleteActivity'; activityId: string }
  | { kind: 'addNote'; tempId: string; note: { body: string; contactIds: string[]; dealIds: string[] } }
  | { kind: 'addTask'; tempId: string; task: { subject: string; dueAt: string | null; contactIds: string[]; dealIds: string[] } }
  | { kind: 'completeTask'; taskId: string }
  | { kind: 'logEmail'; email: EmailLogInput & { to: string[]; cc: string[] } };

export type Confirmation =
  | { kind: 'contact'; contactId: string; companyId: string | null; contact: Contact | null; company: Company | null }
  | { kind: 'deal'; deal: Deal }
  | { kind: 'activity'; activity: Activity }
  | { kind: 'email'; result: EmailLogResult }
  | { kind: 'deleted'; dealId: string }
  | { kind: 'deletedContact'; contactId: string; email: string }
  | { kind: 'deletedActivity'; activityId: string };

/** temp id → real id, for the records a confirmed change created. */
export function createdIds(change: Change, confirmation: Confirmation): Record<string, string> {
  if (change.kind === 'createContact' && confirmation.kind === 'contact') {
    const ids: Record<string, string> = { [change.tempId]: confirmation.contactId };
    if (change.company && confirmation.companyId) ids[change.company.tempId] = confirmation.companyId;
    return ids;
  }
  if (change.kind === 'createDeal' && confirmation.kind === 'deal') return { [change.tempId]: confirmation.deal.id };
  if ((change.kind === 'addNote' || change.kind === 'addTask') && confirmation.kind === 'activity') {
    return { [change.tempId]: confirmation.activity.id };
  }
  return {};
}

/** The ids a change points at (not the ones it creates). */
export function referencedIds(change: Change): string[] {
  switch (change.kind) {
    case 'createContact':
      return change.companyId ? [change.companyId] : [];
    case 'createDeal':
      return [...change.deal.contactIds, ...(change.deal.companyId ? [change.deal.companyId] : [])];
    case 'updateDeal':
    case 'deleteDeal':
      return [change.dealId];
    case 'deleteContact':
      return [change.contactId];
    case 'deleteActivity':
      return [change.activityId];
    case 'addNote':
      return [...change.note.contactIds, ...change.note.dealIds];
    case 'addTask':
      return [...change.task.contactIds, ...change.task.dealIds];
    case 'completeTask':
      return [change.taskId];
    case 'logEmail':
      return [];
  }
}

/** The temp ids a queued change will create, so its dependents can be found. */
export function ownTempIds(change: Change): string[] {
  if (change.kind === 'createContact') return [change.tempId, ...(change.company ? [change.company.tempId] : [])];
  if (change.kind === 'createDeal' || change.kind === 'addNote' || change.kind === 'addTask') return [change.tempId];
  return [];
}

export function rewriteIds(change: Change, ids: Record<string, string>): Change {
  const map = (id: string) => ids[id] ?? id;
  const mapAll = (list: string[]) => list.map(map);
  switch (change.kind) {
    case 'createContact':
      return { ...change, companyId: change.companyId ? map(change.companyId) : null };
    case 'createDeal':
      return { ...change, deal: { ...change.deal, contactIds: mapAll(change.deal.contactIds), companyId: change.deal.companyId ? map(change.deal.companyId) : null } };
    case 'updateDeal':
    case 'deleteDeal':
      return { ...change, dealId: map(change.dealId) };
    case 'deleteContact':
      return { ...change, contactId: map(change.contactId) };
    case 'deleteActivity':
      return { ...change, activityId: map(change.activityId) };
    case 'addNote':
      return { ...change, note: { ...change.note, contactIds: mapAll(change.note.contactIds), dealIds: mapAll(change.note.dealIds) } };
    case 'addTask':
      return { ...change, task: { ...change.task, contactIds: mapAll(change.task.contactIds), dealIds: mapAll(change.task.dealIds) } };
    case 'completeTask':
      return { ...change, taskId: map(change.taskId) };
    case 'logEmail':
      return change;
  }
}

const overlaps = (a: string[], b: Set<string>) => a.some((id) => b.has(id));

function findStage(pipelines: Pipeline[], pipelineId: string, stageId: string) {
  return pipelines.find((p) => p.id === pipelineId)?.stages.find((s) => s.id === stageId);
}

function placeholderContact(change: Extract<Change, { kind: 'createContact' }>, companyId: string | null, at: string): Contact {
  return {
    id: change.tempId, email: change.contact.email, firstName: change.contact.firstName, lastName: change.contact.lastName,
    title: change.contact.title ?? null, phone: null, companyId, ownerId: null, owner: null, tags: [], customFields: {}, createdAt: at, updatedAt: at, deletedAt: null,
  };
}

function placeholderCompany(company: { tempId: string; name: string; domain: string }, at: string): Company {
  return { id: company.tempId, name: company.name, domain: company.domain, industry: null, ownerId: null, owner: null, customFields: {}, createdAt: at, updatedAt: at, deletedAt: null };
}

function placeholderDeal(change: Extract<Change, { kind: 'createDeal' }>, pipelines: Pipeline[], at: string): Deal {
  const pipeline = pipelines.find((p) => p.isDefault) ?? pipelines[0];
  const stage = pipeline?.stages.find((s) => s.id === change.deal.stage) ?? pipeline?.stages[0];
  return {
    id: change.tempId, name: change.deal.name, valueCents: change.deal.valueCents ?? 0, currency: 'USD', pipelineId: pipeline?.id ?? '', stage: stage?.id ?? '',
    stageInfo: { id: stage?.id ?? '', name: stage?.name ?? 'New', isWon: false, isLost: false }, probability: stage?.defaultProbability ?? 0,
    ownerId: null, owner: null, companyId: change.deal.companyId, contactIds: change.deal.contactIds, expectedCloseDate: change.deal.expectedCloseDate ?? null,
    actualCloseDate: null, outcome: null, lostReason: null, stageChangedAt: at, customFields: {}, source: null, externalId: null, risk: null,
    createdAt: at, updatedAt: at, deletedAt: null,
  };
}

function placeholderActivity(type: 'note' | 'task', id: string, fields: Partial<Activity>, at: string): Activity {
  return {
    id, type, subject: null, body: null, direction: null, occurredAt: at, dueAt: null, completedAt: null, ownerId: null, owner: null,
    messageId: null, threadId: null, from: null, to: null, cc: null, contactIds: [], companyIds: [], dealIds: [],
    createdAt: at, updatedAt: at, deletedAt: null, ...fields,
  };
}

const byDue = (a: Activity, b: Activity) => (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999');

/** A contact taken back: gone from the people, and its address (if in this thread) unknown again. */
function withoutContact(context: ThreadContext, contactId: string, email: string): ThreadContext {
  if (!context.contacts.some((c) => c.id === contactId)) return context;
  const lower = email.toLowerCase();
  const unknown = context.unknownEmails.some((e) => e.toLowerCase() === lower) ? context.unknownEmails : [...context.unknownEmails, lower];
  return { ...context, contacts: context.contacts.filter((c) => c.id !== contactId), unknownEmails: unknown };
}

function withoutActivity(context: ThreadContext, activityId: string): ThreadContext {
  return { ...context, activities: context.activities.filter((a) => a.id !== activityId), tasks: context.tasks.filter((t) => t.id !== activityId) };
}

/** What the rep should see: the context with one not-yet-confirmed change applied. */
export function applyPending(context: ThreadContext, change: Change, env: { now: Date; pipelines: Pipeline[] }): ThreadContext {
  const at = env.now.toISOString();
  const contactIds = new Set(context.contacts.map((c) => c.id));
  const dealIds = new Set(context.deals.map((d) => d.id));
  switch (change.kind) {
    case 'createContact': {
      const email = change.contact.email.toLowerCase();
      if (!context.unknownEmails.some((e) => e.toLowerCase() === email)) return context;
      const known = change.companyId ?? context.companies.find((c) => change.company && c.domain === change.company.domain)?.id ?? null;
      const companies = !known && change.company ? [...context.companies, placeholderCompany(change.company, at)] : context.companies;
      const companyId = known ?? change.company?.tempId ?? null;
      return {
        ...context,
        contacts: [...context.contacts, placeholderContact(change, companyId, at)],
        unknownEmails: context.unknownEmails.filter((e) => e.toLowerCase() !== email),
        companies,
      };
    }
    case 'createDeal':
      if (!overlaps(change.deal.contactIds, contactIds)) return context;
      return { ...context, deals: [...context.deals, placeholderDeal(change, env.pipelines, at)] };
    case 'updateDeal':
      return {
        ...context,
        deals: context.deals.map((deal) => {
          if (deal.id !== change.dealId) return deal;
          const { stage, ...fields } = change.patch;
          const next = { ...deal, ...fields };
          const info = stage ? findStage(env.pipelines, deal.pipelineId, stage) : undefined;
          return stage && info ? { ...next, stage, stageInfo: { id: info.id, name: info.name, isWon: info.isWon, isLost: info.isLost } } : next;
        }),
      };
    case 'addNote':
      if (!overlaps(change.note.contactIds, contactIds) && !overlaps(change.note.dealIds, dealIds)) return context;
      return { ...context, activities: [placeholderActivity('note', change.tempId, { body: change.note.body, contactIds: change.note.contactIds, dealIds: change.note.dealIds }, at), ...context.activities] };
    case 'addTask':
      if (!overlaps(change.task.contactIds, contactIds) && !overlaps(change.task.dealIds, dealIds)) return context;
      return {
        ...context,
        tasks: [...context.tasks, placeholderActivity('task', change.tempId, { subject: change.task.subject, dueAt: change.task.dueAt, contactIds: change.task.contactIds, dealIds: change.task.dealIds }, at)].sort(byDue),
      };
    case 'completeTask':
      return { ...context, tasks: context.tasks.filter((t) => t.id !== change.taskId) };
    case 'deleteDeal':
      return { ...context, deals: context.deals.filter((d) => d.id !== change.dealId) };
    case 'deleteContact':
      return withoutContact(context, change.contactId, change.email);
    case 'deleteActivity':
      return withoutActivity(context, change.activityId);
    case 'logEmail':
      return context; // shown by the logging status, and in the timeline once the server has it
  }
}

function upsert<T extends { id: string }>(list: T[], item: T, where: 'start' | 'end' = 'end'): T[] {
  if (list.some((x) => x.id === item.id)) return list.map((x) => (x.id === item.id ? item : x));
  return where === 'start' ? [item, ...list] : [...list, item];
}

/** The last known context with a confirmed change merged in, until the next refresh replaces it. */
export function applyConfirmed(context: ThreadContext, change: Change, confirmation: Confirmation): ThreadContext {
  if (confirmation.kind === 'contact' && change.kind === 'createContact') {
    const email = change.contact.email.toLowerCase();
    const withCompany = confirmation.company ? upsert(context.companies, confirmation.company) : context.companies;
    if (!confirmation.contact) return { ...context, companies: withCompany };
    return {
      ...context,
      contacts: upsert(context.contacts, confirmation.contact),
      unknownEmails: context.unknownEmails.filter((e) => e.toLowerCase() !== email),
      companies: withCompany,
    };
  }
  if (confirmation.kind === 'deal') {
    const deal = confirmation.deal;
    if (change.kind === 'createDeal') return { ...context, deals: upsert(context.deals, deal) };
    // Keep what the answer may leave out (the risk score is computed for reads).
    return { ...context, deals: context.deals.map((d) => (d.id === deal.id ? { ...d, ...deal } : d)) };
  }
  if (confirmation.kind === 'deleted') return { ...context, deals: context.deals.filter((d) => d.id !== confirmation.dealId) };
  if (confirmation.kind === 'deletedContact') return withoutContact(context, confirmation.contactId, confirmation.email);
  if (confirmation.kind === 'deletedActivity') return withoutActivity(context, confirmation.activityId);
  if (confirmation.kind === 'activity') {
    const activity = confirmation.activity;
    if (change.kind === 'completeTask' || activity.completedAt) return { ...context, tasks: context.tasks.filter((t) => t.id !== activity.id) };
    if (activity.type === 'task') return { ...context, tasks: upsert(context.tasks, activity).sort(byDue) };
    return { ...context, activities: upsert(context.activities, activity, 'start') };
  }
  return context;
}

const sameMoment = (a: string | null, b: string | null) => (a && b ? Date.parse(a) === Date.parse(b) : a === b);
const covers = (have: string[], want: string[]) => want.every((id) => have.includes(id));

/**
 * After an attempt whose answer never arrived, the server may have applied a create already.
 * Finds that record in a fresh context so the retry does not create it twice.
 */
export function findApplied(change: Change, context: ThreadContext): Confirmation | null {
  switch (change.kind) {
    case 'createDeal': {
      const deal = context.deals.find((d) => d.name === change.deal.name && covers(d.contactIds, change.deal.contactIds));
      return deal ? { kind: 'deal', deal } : null;
    }
    case 'addNote': {
      const note = context.activities.find((a) => a.type === 'note' && a.body === change.note.body && covers(a.contactIds, change.note.contactIds));
      return note ? { kind: 'activity', activity: note } : null;
    }
    case 'addTask': {
      const task = [...context.tasks, ...context.activities].find(
        (a) => a.type === 'task' && a.subject === change.task.subject && sameMoment(a.dueAt, change.task.dueAt) && covers(a.contactIds, change.task.contactIds),
      );
      return task ? { kind: 'activity', activity: task } : null;
    }
    default:
      return null; // the others are idempotent on the server (unique email, PATCH, messageId)
  }
}
