// What the sidebar calls, as a small facade over the typed client. Its route list is the only list of
// the sidebar's routes: the facade's client can call nothing else (a type error), and the Gmail
// extension's background relays exactly these for the sidebar page (extension/background).
import { call, createApiClient, idempotencyHeaders, type ApiClient, type ApiClientOptions, type WriteOptions } from './api-client.ts';
import type { Activity, Company, Contact, Deal, EmailLogResult, Pipeline, RequestBody, ThreadContext, TrackedMessageSummary } from './api-types.ts';
import type { ApiRoute, PathsOf } from './routes.ts';

export const sidebarRoutes = [
  ['get', '/context'],
  ['post', '/contacts'],
  ['post', '/companies'],
  ['post', '/deals'],
  ['patch', '/deals/{id}'],
  ['post', '/activities'],
  ['post', '/tasks'],
  ['patch', '/tasks/{id}'],
  ['post', '/emails'],
  ['get', '/pipelines'],
  ['get', '/tracking/messages'],
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
  addNote(input: NoteInput, options?: WriteOptions): Promise<Activity>;
  addTask(input: TaskInput, options?: WriteOptions): Promise<Activity>;
  completeTask(id: string, options?: WriteOptions): Promise<Activity>;
  logEmail(input: EmailLogInput): Promise<EmailLogResult>;
  listPipelines(): Promise<Pipeline[]>;
  /** The summaries of tracked messages, by host message ids or host thread ids. */
  listTrackedMessages(query: { messageIds?: string[]; threadIds?: string[] }): Promise<TrackedMessageSummary[]>;
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
    addNote: (note, o) => call(client.POST('/activities', { body: { type: 'note', ...note }, ...write(o) })),
    addTask: (body, o) => call(client.POST('/tasks', { body, ...write(o) })),
    completeTask: (taskId, o) => call(client.PATCH('/tasks/{id}', { ...id(taskId), body: { completed: true }, ...write(o) })),
    logEmail: (body) => call(client.POST('/emails', { body })),
    listPipelines: async () => (await call(client.GET('/pipelines'))).data,
    listTrackedMessages: async ({ messageIds, threadIds }) => {
      const query = messageIds?.length ? { messageIds: messageIds.join(',') } : { threadIds: (threadIds ?? []).join(',') };
      return (await call(client.GET('/tracking/messages', { params: { query } }))).data;
    },
  };
}
