// What the sidebar calls, as a small facade over the typed client. Its route list is the only list of
// the sidebar's routes: the facade's client can call nothing else (a type error), and the Gmail
// extension's background relays exactly these for the sidebar page (extension/background).
import { call, createApiClient, idempotencyHeaders, type ApiClient, type ApiClientOptions, type WriteOptions } from './api-client.ts';
import type { Activity, Company, Contact, Deal, DealRisk, EmailLogResult, Me, Pipeline, RequestBody, ThreadContext, TrackedMessageSummary } from './api-types.ts';
import type { ApiRoute, PathsOf } from './routes.ts';

export const sidebarRoutes = [
  ['get', '/context'],
  ['post', '/contacts'],
  ['delete', '/contacts/{id}'],
  ['post', '/companies'],
  ['post', '/deals'],
  ['patch', '/deals/{id}'],
  ['delete', '/deals/{id}'],
  ['post', '/activities'],
  ['delete', '/activities/{id}'],
  ['post', '/tasks'],
  ['patch', '/tasks/{id}'],
  ['post', '/emails'],
  ['get', '/pipelines'],
  ['get', '/tracking/messages'],
  // Between threads (nothing open, an internal thread): search, the rep's tasks due, their deals at risk.
  ['get', '/me'],
  ['get', '/contacts'],
  ['get', '/deals'],
  ['get', '/tasks'],
  ['get', '/deals/at-risk'],
] as const satisfies readonly ApiRoute[];

export type SidebarRoute = (typeof sidebarRoutes)[number];

export type ContactInput = RequestBody<'post', '/contacts'>;
export type CompanyInput = RequestBody<'post', '/companies'>;
export type DealInput = RequestBody<'post', '/deals'>;
export type DealPatch = RequestBody<'patch', '/deals/{id}'>;
export type TaskInput = RequestBody<'post', '/tasks'>;
export type EmailLogInput = RequestBody<'post', '/emails'>;
/** A note is an activity of type note. */
export type NoteInput = Pick<RequestBody<'post', '/activities'>, 'body' | 'contactIds' | 'companyIds' | 'dealIds'> & { body: string };

export interface SidebarApi {
  /** The people, deals and timeline for these addresses; with `messageIds` (host ids) the tracked ones among them. */
  getContext(emails: string[], messageIds?: string[]): Promise<ThreadContext>;
  createContact(input: ContactInput, options?: WriteOptions): Promise<Contact>;
  createCompany(input: CompanyInput, options?: WriteOptions): Promise<Company>;
  createDeal(input: DealInput, options?: WriteOptions): Promise<Deal>;
  updateDeal(id: string, patch: DealPatch, options?: WriteOptions): Promise<Deal>;
  /** Only to undo a deal the rep just created (it goes to the trash, where it can be restored). */
  deleteDeal(id: string, options?: WriteOptions): Promise<void>;
  /** Only to undo a contact the rep just created (to the trash, restorable). */
  deleteContact(id: string, options?: WriteOptions): Promise<void>;
  /** Only to undo a note or task the rep just added (to the trash, restorable). */
  deleteActivity(id: string, options?: WriteOptions): Promise<void>;
  addNote(input: NoteInput, options?: WriteOptions): Promise<Activity>;
  addTask(input: TaskInput, options?: WriteOptions): Promise<Activity>;
  completeTask(id: string, options?: WriteOptions): Promise<Activity>;
  logEmail(input: EmailLogInput): Promise<EmailLogResult>;
  listPipelines(): Promise<Pipeline[]>;
  /** The summaries of tracked messages, by host message ids or host thread ids. */
  listTrackedMessages(query: { messageIds?: string[]; threadIds?: string[] }): Promise<TrackedMessageSummary[]>;
  /** The signed-in user, for "my tasks". */
  me(): Promise<Me>;
  /** Contacts whose name, email or company match (a few). */
  searchContacts(q: string): Promise<Contact[]>;
  /** Open deals whose name matches (a few). */
  searchDeals(q: string): Promise<(Deal & { risk: DealRisk | null })[]>;
  /** This owner's open tasks due before the moment given (overdue ones included), soonest first. */
  openTasksDue(ownerId: string, dueBefore: string): Promise<Activity[]>;
  /** The rep's own open deals in the high band, riskiest first. */
  myDealsAtRisk(): Promise<(Deal & { risk: DealRisk | null })[]>;
}

export function createSidebarApi(options: ApiClientOptions): SidebarApi {
  return sidebarApiOver(createApiClient<PathsOf<SidebarRoute>>(options));
}

function sidebarApiOver(client: ApiClient<PathsOf<SidebarRoute>>): SidebarApi {
  const write = (options?: WriteOptions) => ({ headers: idempotencyHeaders(options) });
  const id = (value: string) => ({ params: { path: { id: value } } });
  return {
    getContext: (emails, messageIds = []) =>
      call(client.GET('/context', { params: { query: { emails: emails.join(','), ...(messageIds.length ? { messageIds: messageIds.join(',') } : {}) } } })),
    createContact: (body, o) => call(client.POST('/contacts', { body, ...write(o) })),
    createCompany: (body, o) => call(client.POST('/companies', { body, ...write(o) })),
    createDeal: (body, o) => call(client.POST('/deals', { body, ...write(o) })),
    updateDeal: (dealId, body, o) => call(client.PATCH('/deals/{id}', { ...id(dealId), body, ...write(o) })),
    deleteDeal: async (dealId, o) => {
      await call(client.DELETE('/deals/{id}', { ...id(dealId), ...write(o) }));
    },
    deleteContact: async (contactId, o) => {
      await call(client.DELETE('/contacts/{id}', { ...id(contactId), ...write(o) }));
    },
    deleteActivity: async (activityId, o) => {
      await call(client.DELETE('/activities/{id}', { ...id(activityId), ...write(o) }));
    },
    addNote: (note, o) => call(client.POST('/activities', { body: { type: 'note', ...note }, ...write(o) })),
    addTask: (body, o) => call(client.POST('/tasks', { body, ...write(o) })),
    completeTask: (taskId, o) => call(client.PATCH('/tasks/{id}', { ...id(taskId), body: { completed: true }, ...write(o) })),
    logEmail: (body) => call(client.POST('/emails', { body })),
    listPipelines: async () => (await call(client.GET('/pipelines'))).data,
    listTrackedMessages: async ({ messageIds, threadIds }) => {
      const query = messageIds?.length ? { messageIds: messageIds.join(',') } : { threadIds: (threadIds ?? []).join(',') };
      return (await call(client.GET('/tracking/messages', { params: { query } }))).data;
    },
    me: () => call(client.GET('/me')),
    searchContacts: async (q) => (await call(client.GET('/contacts', { params: { query: { q, limit: 5 } } }))).data,
    searchDeals: async (q) => (await call(client.GET('/deals', { params: { query: { q, status: 'open', limit: 5 } } }))).data,
    openTasksDue: async (ownerId, dueBefore) => (await call(client.GET('/tasks', { params: { query: { status: 'open', ownerId, dueBefore, limit: 20 } } }))).data,
    myDealsAtRisk: async () => (await call(client.GET('/deals/at-risk', { params: { query: { scope: 'me', minBand: 'high', limit: 5 } } }))).data,
  };
}
