// Fakes for the sidebar's tests: a small in-memory CRM behind the SidebarApi and TrackingApi
// interfaces (behaving like the real API where the sidebar relies on it: unique emails and domains,
// company by domain, email logging idempotent per Message-ID) and an InboxHost the test drives.
// Every answer goes through the API's own response schemas (ui/api-client/test-contract.ts): a fake
// that answered what the API cannot would fail the test that relied on it.
import { domainOf, isFreeMailDomain, normalizeEmail } from '../../core/email-address.ts';
import { decideMessageTracking, describeMode, type TrackingPolicy } from '../../core/tracking/consent.ts';
import type { CallOptions } from '../api-client/api-client.ts';
import { ApiError } from '../api-client/api-error.ts';
import type {
  Activity,
  AppNotification,
  Company,
  Contact,
  DealRisk,
  Pipeline,
  SidebarDeal,
  ThreadContext,
  TrackedMessageRegistration,
  TrackedMessageSummary,
  TrackingDecision,
  TrackingSettings,
} from '../api-client/api-types.ts';
import type { SidebarApi } from '../api-client/sidebar-api.ts';
import { checkAnswer, type ContractAnswer, type ContractRoute, type ContractStatus } from '../api-client/test-contract.ts';
import type { TrackedMessageInput, TrackedMessageSentInput, TrackingApi, TrackingDecisionInput } from '../api-client/tracking-api.ts';
import type { InboxHost, InboxMessage, InboxThread, Participant, TrackedMessageSentEvent } from './host.ts';

const T0 = '2026-11-01T10:00:00.000Z';
let seq = 0;
/** Deterministic, valid-looking UUIDs. */
export const uuid = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;

export const rep = { id: uuid(), name: 'Robin Rep', email: 'robin@seller.test' };
export const colleague = { id: uuid(), name: 'Dana Smith', email: 'dana@seller.test' };

export const pipeline: Pipeline = {
  id: uuid(),
  name: 'Sales',
  isDefault: true,
  stages: [
    { id: uuid(), name: 'Qualified', position: 0, defaultProbability: 10, isWon: false, isLost: false },
    { id: uuid(), name: 'Proposal', position: 1, defaultProbability: 40, isWon: false, isLost: false },
    { id: uuid(), name: 'Negotiation', position: 2, defaultProbability: 70, isWon: false, isLost: false },
    { id: uuid(), name: 'Won', position: 3, defaultProbability: 100, isWon: true, isLost: false },
    { id: uuid(), name: 'Lost', position: 4, defaultProbability: 0, isWon: false, isLost: true },
  ],
};
export const stage = (name: string) => pipeline.stages.find((s) => s.name === name)!;

export function makeCompany(fields: Partial<Company> & { name: string }): Company {
  return { id: uuid(), domain: null, industry: null, ownerId: null, owner: null, customFields: {}, createdAt: T0, updatedAt: T0, deletedAt: null, ...fields };
}

export function makeContact(fields: Partial<Contact> & { email: string }): Contact {
  return {
    id: uuid(), firstName: null, lastName: null, title: null, phone: null, companyId: null, ownerId: null, owner: null,
    tags: [], customFields: {}, createdAt: T0, updatedAt: T0, deletedAt: null, ...fields,
  };
}

export function makeDeal(fields: Partial<SidebarDeal> & { name: string }, stageName = 'Qualified'): SidebarDeal {
  const s = stage(stageName);
  return {
    risk: null,
    id: uuid(), valueCents: 0, currency: 'USD', pipelineId: pipeline.id, stage: s.id,
    stageInfo: { id: s.id, name: s.name, isWon: s.isWon, isLost: s.isLost }, probability: s.defaultProbability,
    ownerId: rep.id, owner: rep, companyId: null, contactIds: [], expectedCloseDate: null, actualCloseDate: null, outcome: null,
    lostReason: null, stageChangedAt: T0, customFields: {}, source: null, externalId: null, createdAt: T0, updatedAt: T0, deletedAt: null, ...fields,
  };
}

/**
 * A deal's stored risk as the API answers it: `score` in points of 0–100, `reasons` as short
 * {code, sentence} pairs sharing the points, `strengths` as sentences.
 */
export function makeRisk(
  score: number,
  band: DealRisk['band'],
  reasons: { code: string; sentence: string }[] = [],
  options: { strengths?: string[]; nextAction?: string } = {},
): DealRisk {
  return {
    score, band, reasons: reasons.map((r) => ({ ...r, weight: Math.round(score / reasons.length), numbers: {} })),
    strengths: (options.strengths ?? []).map((sentence, i) => ({ code: `strength_${i}`, sentence, numbers: {} })),
    nextAction: { code: 'follow_up', sentence: options.nextAction ?? 'Follow up this week.' }, computedAt: T0,
  };
}

/** A tracked message's summary as the API sends it: sent to Ann, nothing recorded yet. */
export function makeTracked(fields: Partial<TrackedMessageSummary> = {}): TrackedMessageSummary {
  return {
    id: uuid(), messageId: null, threadId: null, subject: 'Pricing for 200 seats', sentAt: T0, recipientCount: 1,
    attribution: { kind: 'recipient', email: 'ann@acme.test' }, precision: 'exact', opens: { count: 0, first: null, last: null }, clicks: [],
    machineHits: { image_proxy: 0, apple_mpp: 0, scanner: 0, sender_self: 0, unknown: 0 }, pendingClicks: 0, ...fields,
  };
}

export function makeActivity(fields: Partial<Activity> & { type: Activity['type'] }): Activity {
  return {
    id: uuid(), subject: null, body: null, direction: null, occurredAt: T0, dueAt: null, completedAt: null, ownerId: rep.id, owner: rep,
    messageId: null, threadId: null, from: null, to: null, cc: null, contactIds: [], companyIds: [], dealIds: [],
    createdAt: T0, updatedAt: T0, deletedAt: null, ...fields,
  };
}

type Method = keyof SidebarApi | keyof TrackingApi | 'listNotifications' | 'markNotificationRead';
export interface Call {
  method: Method;
  args: unknown[];
}

/** A CRM in memory. `online = false` makes every call fail as the network would. */
export class FakeCrm implements SidebarApi, TrackingApi {
  contacts: Contact[] = [];
  companies: Company[] = [];
  deals: SidebarDeal[] = [];
  activities: Activity[] = [];
  pipelines: Pipeline[] = [pipeline];
  /** Tracked messages; a summary is found by its `messageId` once reported sent. */
  tracked: TrackedMessageSummary[] = [];
  /** What registering answered per tracked message (the decorated body). */
  registrations = new Map<string, TrackedMessageRegistration>();
  trackingPolicy: TrackingPolicy = { mode: 'full', countryOverrides: {} };
  trackByDefault = true;
  senderViews: string[][] = [];
  notifications: AppNotification[] = [];
  calls: Call[] = [];
  online = true;
  signedIn = true;
  /** Makes the next call of a method fail with this error (after being recorded). */
  private failures = new Map<Method, ApiError[]>();
  /** Calls of a held method wait for release(): to see what shows before the API answers. */
  private held = new Map<Method, (() => void)[]>();

  failNext(method: Method, error: ApiError) {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  hold(method: Method) {
    this.held.set(method, []);
  }

  release(method: Method) {
    const waiting = this.held.get(method) ?? [];
    this.held.delete(method);
    waiting.forEach((go) => go());
  }

  callsOf(method: Method) {
    return this.calls.filter((c) => c.method === method);
  }

  private async enter(method: Method, args: unknown[]) {
    this.calls.push({ method, args });
    await Promise.resolve();
    const queue = this.held.get(method);
    if (queue) await new Promise<void>((go) => queue.push(go));
    if (!this.online) throw new ApiError('OFFLINE', 'The CRM cannot be reached', 0);
    if (!this.signedIn) throw new ApiError('UNAUTHENTICATED', 'Sign in first', 401);
    const failure = this.failures.get(method)?.shift();
    if (failure) throw failure;
  }

  /** What the route answers, checked against the API's schema for it, as a copy (as if it came over the wire). */
  private answer<K extends ContractRoute, S extends ContractStatus<K>>(route: K, status: S, body: ContractAnswer<K, S>): ContractAnswer<K, S> {
    const [method, path] = route.split(' ') as [string, string];
    return structuredClone(checkAnswer(method, path, status, body));
  }

  private refuse(route: ContractRoute, status: number, code: ApiError['code'], message: string, details?: unknown): never {
    const [method, path] = route.split(' ') as [string, string];
    checkAnswer(method, path, status, { error: { code, message, ...(details ? { details } : {}) } });
    throw new ApiError(code, message, status, details);
  }

  async getContext(emails: string[], messageIds: string[] = []): Promise<ThreadContext> {
    await this.enter('getContext', [emails, messageIds]);
    const wanted = [...new Set(emails.map((e) => normalizeEmail(e)).filter((e): e is string => !!e))];
    const contacts = this.contacts.filter((c) => wanted.includes(c.email.toLowerCase()));
    const contactIds = contacts.map((c) => c.id);
    const companyIds = [...new Set(contacts.flatMap((c) => (c.companyId ? [c.companyId] : [])))];
    const deals = this.deals.filter((d) => !d.outcome && (d.contactIds.some((id) => contactIds.includes(id)) || (d.companyId && companyIds.includes(d.companyId))));
    const dealIds = deals.map((d) => d.id);
    const linked = (a: Activity) => a.contactIds.some((id) => contactIds.includes(id)) || a.dealIds.some((id) => dealIds.includes(id));
    return this.answer('GET /context', 200, {
      contacts,
      unknownEmails: wanted.filter((e) => !contacts.some((c) => c.email.toLowerCase() === e)),
      companies: this.companies.filter((c) => companyIds.includes(c.id)),
      deals,
      activities: this.activities.filter((a) => linked(a)).sort((a, b) => b.occurredAt.localeCompare(a.occurredAt)).slice(0, 20),
      tasks: this.activities.filter((a) => a.type === 'task' && !a.completedAt && linked(a)),
      tracking: this.trackedFor(messageIds),
    });
  }

  private trackedFor(messageIds: string[]) {
    return this.tracked.filter((t) => t.messageId !== null && messageIds.includes(t.messageId));
  }

  private decide(query: TrackingDecisionInput): TrackingDecision {
    const recipients = [...(query.to ?? []), ...(query.cc ?? []), ...(query.bcc ?? [])];
    const { track, reason, explanation, storeIdentity, storeExactTime } = decideMessageTracking(
      this.trackingPolicy,
      recipients.map(() => ({ country: null, consentRecorded: false, optedOut: false })),
    );
    return { track, reason, explanation, storeIdentity, storeExactTime };
  }

  async trackingDecision(query: TrackingDecisionInput, options?: CallOptions) {
    await this.enter('trackingDecision', [query, options]);
    return this.answer('POST /tracking/decision', 200, this.decide(query));
  }

  async registerTrackedMessage(input: TrackedMessageInput, options?: CallOptions): Promise<TrackedMessageRegistration> {
    await this.enter('registerTrackedMessage', [input, options]);
    const decision = this.decide(input);
    if (!decision.track) return this.answer('POST /tracking/messages', 200, { decision, trackedMessageId: null, html: input.html, pixelUrl: null, links: [], optOutUrl: null });
    const id = uuid();
    const base = 'https://t.crm.test';
    const links: TrackedMessageRegistration['links'] = [];
    // Like core/tracking/decorate-html.ts, in small: every absolute link rewritten, the pixel appended.
    let html = input.html.replace(/<a href="(https?:[^"]+)"/g, (_all, url: string) => {
      const trackedUrl = `${base}/c/${id}.${links.length}`;
      links.push({ index: links.length, url, trackedUrl });
      return `<a href="${trackedUrl}"`;
    });
    const optOutUrl = input.optOutLink ? `${base}/u/${id}` : null;
    if (optOutUrl) html += `<p><a href="${optOutUrl}">Stop tracking my opens</a></p>`;
    const pixelUrl = `${base}/o/${id}`;
    html += `<img src="${pixelUrl}" width="1" height="1" alt="" style="width:1px;height:1px;border:0">`;
    const registration = { decision, trackedMessageId: id, html, pixelUrl, links, optOutUrl };
    this.registrations.set(id, registration);
    const recipients = [...(input.to ?? []), ...(input.cc ?? []), ...(input.bcc ?? [])];
    this.tracked.push(
      makeTracked({
        id, subject: input.subject ?? null, threadId: input.threadId ?? null, sentAt: new Date().toISOString(), recipientCount: recipients.length,
        attribution: decision.storeIdentity ? { kind: 'recipient', email: recipients[0]! } : { kind: 'a_recipient' },
        precision: decision.storeExactTime ? 'exact' : 'day',
      }),
    );
    return this.answer('POST /tracking/messages', 201, registration);
  }

  async markTrackedMessageSent(trackedMessageId: string, sent: TrackedMessageSentInput, options?: CallOptions) {
    await this.enter('markTrackedMessageSent', [trackedMessageId, sent, options]);
    const found = this.tracked.find((t) => t.id === trackedMessageId);
    if (!found) this.refuse('POST /tracking/messages/{id}/sent', 404, 'NOT_FOUND', 'Tracked message not found');
    Object.assign(found, { messageId: sent.messageId, threadId: sent.threadId ?? found.threadId, ...(sent.sentAt ? { sentAt: sent.sentAt } : {}) });
    return this.answer('POST /tracking/messages/{id}/sent', 200, found);
  }

  async reportSenderView(messageIds: string[], options?: CallOptions) {
    await this.enter('reportSenderView', [messageIds, options]);
    this.senderViews.push(messageIds);
    this.answer('POST /tracking/sender-views', 200, { recorded: this.tracked.filter((t) => t.messageId && messageIds.includes(t.messageId)).length });
  }

  async listTrackedMessages(query: { messageIds?: string[]; threadIds?: string[] }) {
    await this.enter('listTrackedMessages', [query]);
    const data = query.messageIds ? this.trackedFor(query.messageIds) : this.tracked.filter((t) => t.threadId !== null && (query.threadIds ?? []).includes(t.threadId));
    return this.answer('GET /tracking/messages', 200, { data }).data;
  }

  async trackingSettings(): Promise<TrackingSettings> {
    await this.enter('trackingSettings', []);
    return this.answer('GET /tracking/settings', 200, this.settings());
  }

  async updateTrackingSettings(patch: { trackByDefault: boolean }) {
    await this.enter('updateTrackingSettings', [patch]);
    this.trackByDefault = patch.trackByDefault;
    return this.answer('PATCH /tracking/settings', 200, this.settings());
  }

  private settings(): TrackingSettings {
    const policy = { ...this.trackingPolicy, countryOverrides: this.trackingPolicy.countryOverrides ?? {} };
    return { policy, retentionDays: 90, trackByDefault: this.trackByDefault, description: describeMode(policy) };
  }

  async listNotifications(query: { unread?: boolean; limit?: number } = {}) {
    await this.enter('listNotifications', [query]);
    const data = this.notifications.filter((n) => !query.unread || !n.readAt).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return this.answer('GET /notifications', 200, { data: data.slice(0, query.limit ?? 50), unread: this.notifications.filter((n) => !n.readAt).length });
  }

  async markNotificationRead(id: string) {
    await this.enter('markNotificationRead', [id]);
    const found = this.notifications.find((n) => n.id === id);
    if (!found) this.refuse('POST /notifications/{id}/read', 404, 'NOT_FOUND', 'Notification not found');
    found.readAt ??= new Date().toISOString();
    return this.answer('POST /notifications/{id}/read', 200, found);
  }

  async createContact(input: Parameters<SidebarApi['createContact']>[0], options?: { idempotencyKey?: string }) {
    await this.enter('createContact', [input, options]);
    const email = input.email.toLowerCase();
    const existing = this.contacts.find((c) => c.email === email);
    if (existing) this.refuse('POST /contacts', 409, 'CONFLICT', `A contact with the email ${email} already exists`, { existingId: existing.id });
    const domain = domainOf(email);
    const companyId = input.companyId === undefined ? (isFreeMailDomain(domain) ? null : (this.companies.find((c) => c.domain === domain)?.id ?? null)) : input.companyId;
    const contact = makeContact({ email, firstName: input.firstName ?? null, lastName: input.lastName ?? null, companyId, ownerId: rep.id, owner: rep });
    this.contacts.push(contact);
    return this.answer('POST /contacts', 201, contact);
  }

  async createCompany(input: Parameters<SidebarApi['createCompany']>[0], options?: { idempotencyKey?: string }) {
    await this.enter('createCompany', [input, options]);
    const existing = this.companies.find((c) => input.domain && c.domain === input.domain);
    if (existing) this.refuse('POST /companies', 409, 'CONFLICT', `A company with the domain ${input.domain} already exists`, { existingId: existing.id });
    const company = makeCompany({ name: input.name, domain: input.domain ?? null });
    this.companies.push(company);
    return this.answer('POST /companies', 201, company);
  }

  async createDeal(input: Parameters<SidebarApi['createDeal']>[0], options?: { idempotencyKey?: string }) {
    await this.enter('createDeal', [input, options]);
    const first = pipeline.stages[0]!;
    const start = input.stage ? pipeline.stages.find((s) => s.id === input.stage) : first;
    if (!start) this.refuse('POST /deals', 400, 'INVALID_REFERENCE', 'stage: not a stage of this deal\'s pipeline');
    const deal = makeDeal(
      { name: input.name, contactIds: input.contactIds ?? [], companyId: input.companyId ?? null, valueCents: input.valueCents ?? 0, expectedCloseDate: input.expectedCloseDate ?? null },
      start.name,
    );
    this.deals.push(deal);
    return this.answer('POST /deals', 201, { ...deal, risk: deal.risk ?? null });
  }

  async updateDeal(id: string, patch: Parameters<SidebarApi['updateDeal']>[1], options?: { idempotencyKey?: string }) {
    await this.enter('updateDeal', [id, patch, options]);
    const deal = this.deals.find((d) => d.id === id);
    if (!deal) this.refuse('PATCH /deals/{id}', 404, 'NOT_FOUND', 'Deal not found');
    const { stage: stageId, ...fields } = patch;
    if (stageId) {
      const s = pipeline.stages.find((x) => x.id === stageId);
      if (!s) this.refuse('PATCH /deals/{id}', 400, 'INVALID_REFERENCE', 'stage: not a stage of this deal\'s pipeline');
      Object.assign(deal, { stage: s.id, stageInfo: { id: s.id, name: s.name, isWon: s.isWon, isLost: s.isLost }, outcome: s.isWon ? 'won' : s.isLost ? 'lost' : null });
    }
    Object.assign(deal, fields);
    return this.answer('PATCH /deals/{id}', 200, { ...deal, risk: deal.risk ?? null });
  }

  async deleteDeal(id: string, options?: { idempotencyKey?: string }) {
    await this.enter('deleteDeal', [id, options]);
    if (!this.deals.some((d) => d.id === id)) this.refuse('DELETE /deals/{id}', 404, 'NOT_FOUND', 'Deal not found');
    this.deals = this.deals.filter((d) => d.id !== id);
    this.answer('DELETE /deals/{id}', 204, undefined as never);
  }

  async deleteContact(id: string, options?: { idempotencyKey?: string }) {
    await this.enter('deleteContact', [id, options]);
    if (!this.contacts.some((c) => c.id === id)) this.refuse('DELETE /contacts/{id}', 404, 'NOT_FOUND', 'Contact not found');
    this.contacts = this.contacts.filter((c) => c.id !== id);
    this.answer('DELETE /contacts/{id}', 204, undefined as never);
  }

  async deleteActivity(id: string, options?: { idempotencyKey?: string }) {
    await this.enter('deleteActivity', [id, options]);
    if (!this.activities.some((a) => a.id === id)) this.refuse('DELETE /activities/{id}', 404, 'NOT_FOUND', 'Activity not found');
    this.activities = this.activities.filter((a) => a.id !== id);
    this.answer('DELETE /activities/{id}', 204, undefined as never);
  }

  async addNote(input: Parameters<SidebarApi['addNote']>[0], options?: { idempotencyKey?: string }) {
    await this.enter('addNote', [input, options]);
    const note = makeActivity({ type: 'note', body: input.body, contactIds: input.contactIds ?? [], dealIds: input.dealIds ?? [], occurredAt: new Date().toISOString() });
    this.activities.push(note);
    return this.answer('POST /activities', 201, note);
  }

  async addTask(input: Parameters<SidebarApi['addTask']>[0], options?: { idempotencyKey?: string }) {
    await this.enter('addTask', [input, options]);
    const task = makeActivity({ type: 'task', subject: input.subject, dueAt: input.dueAt ?? null, contactIds: input.contactIds ?? [], dealIds: input.dealIds ?? [] });
    this.activities.push(task);
    return this.answer('POST /tasks', 201, task);
  }

  async completeTask(id: string, options?: { idempotencyKey?: string }) {
    await this.enter('completeTask', [id, options]);
    const task = this.activities.find((a) => a.id === id && a.type === 'task');
    if (!task) this.refuse('PATCH /tasks/{id}', 404, 'NOT_FOUND', 'Task not found');
    task.completedAt ??= new Date().toISOString();
    return this.answer('PATCH /tasks/{id}', 200, task);
  }

  async logEmail(input: Parameters<SidebarApi['logEmail']>[0]) {
    await this.enter('logEmail', [input]);
    const before = this.activities.find((a) => a.messageId === input.messageId);
    const addresses = [input.from, ...(input.to ?? []), ...(input.cc ?? [])].map((a) => normalizeEmail(a));
    const contactIds = this.contacts.filter((c) => addresses.includes(c.email)).map((c) => c.id);
    const dealIds = this.deals.filter((d) => d.contactIds.some((id) => contactIds.includes(id))).map((d) => d.id);
    if (before) return this.answer('POST /emails', 200, { logged: false, alreadyLogged: true, activityId: before.id, contactIds: before.contactIds, companyIds: [], dealIds: before.dealIds });
    if (contactIds.length === 0) return this.answer('POST /emails', 200, { logged: false, alreadyLogged: false, activityId: null, contactIds: [], companyIds: [], dealIds: [] });
    const email = makeActivity({ type: 'email', subject: input.subject ?? null, direction: input.direction, messageId: input.messageId, occurredAt: input.sentAt, contactIds, dealIds });
    this.activities.push(email);
    return this.answer('POST /emails', 200, { logged: true, alreadyLogged: false, activityId: email.id, contactIds, companyIds: [], dealIds });
  }

  async me() {
    await this.enter('me', []);
    const org = { id: pipeline.id, name: 'Seller Inc' };
    return this.answer('GET /me', 200, { user: rep, organization: org, role: 'rep' as const, organizations: [{ ...org, role: 'rep' as const }] });
  }

  async searchContacts(q: string) {
    await this.enter('searchContacts', [q]);
    const words = q.toLowerCase().split(/\s+/).filter(Boolean);
    const found = this.contacts.filter((c) => words.every((w) => [c.firstName, c.lastName, c.email].some((f) => f?.toLowerCase().startsWith(w))));
    return this.answer('GET /contacts', 200, { data: found.slice(0, 5), nextCursor: null }).data;
  }

  async searchDeals(q: string) {
    await this.enter('searchDeals', [q]);
    const words = q.toLowerCase().split(/\s+/).filter(Boolean);
    const found = this.deals.filter((d) => !d.outcome && words.every((w) => d.name.toLowerCase().split(/\W+/).some((x) => x.startsWith(w))));
    return this.answer('GET /deals', 200, { data: found.slice(0, 5).map((d) => ({ ...d, risk: d.risk ?? null })), nextCursor: null }).data;
  }

  async openTasksDue(ownerId: string, dueBefore: string) {
    await this.enter('openTasksDue', [ownerId, dueBefore]);
    const due = this.activities
      .filter((a) => a.type === 'task' && !a.completedAt && a.ownerId === ownerId && a.dueAt && a.dueAt < dueBefore)
      .sort((a, b) => a.dueAt!.localeCompare(b.dueAt!));
    return this.answer('GET /tasks', 200, { data: due, nextCursor: null }).data;
  }

  async myDealsAtRisk() {
    await this.enter('myDealsAtRisk', []);
    const mine = this.deals.filter((d) => !d.outcome && d.ownerId === rep.id && d.risk?.band === 'high').sort((a, b) => b.risk!.score - a.risk!.score);
    return this.answer('GET /deals/at-risk', 200, { data: mine.map((d) => ({ ...d, risk: d.risk ?? null })) }).data;
  }

  async listPipelines() {
    await this.enter('listPipelines', []);
    return this.answer('GET /pipelines', 200, { data: this.pipelines }).data;
  }
}

export class FakeHost implements InboxHost {
  private listener: ((thread: InboxThread | null) => void) | null = null;
  private current: InboxThread | null = null;
  private sentListeners = new Set<(sent: TrackedMessageSentEvent) => void>();
  notifications: string[] = [];

  onTrackedMessageSent(listener: (sent: TrackedMessageSentEvent) => void) {
    this.sentListeners.add(listener);
    return () => void this.sentListeners.delete(listener);
  }

  /** What a host does after reporting a tracked message as sent. */
  trackedMessageSent(sent: TrackedMessageSentEvent) {
    this.sentListeners.forEach((l) => l(sent));
  }

  onThreadChange(listener: (thread: InboxThread | null) => void) {
    this.listener = listener;
    listener(this.current);
    return () => {
      if (this.listener === listener) this.listener = null;
    };
  }

  showNotification(text: string) {
    this.notifications.push(text);
  }

  open(thread: InboxThread) {
    this.current = thread;
    this.listener?.(thread);
  }

  close() {
    this.current = null;
    this.listener?.(null);
  }
}

export const person = (name: string, email: string): Participant => ({ name, email });
export const me: Participant = { name: rep.name, email: rep.email };

let messageSeq = 0;
export function message(from: Participant, to: Participant[], fields: Partial<InboxMessage> = {}): InboxMessage {
  return {
    messageId: `<m${++messageSeq}@mail.test>`,
    from,
    to,
    cc: [],
    subject: 'Pricing for 200 seats',
    date: '2026-11-20T09:30:00Z',
    direction: from.email === rep.email ? 'outbound' : 'inbound',
    ...fields,
  };
}

export function thread(threadId: string, messages: InboxMessage[], subject = 'Pricing for 200 seats'): InboxThread {
  const seen = new Map<string, Participant>();
  for (const m of messages) for (const p of [m.from, ...m.to, ...m.cc]) if (!seen.has(p.email)) seen.set(p.email, p);
  return { threadId, subject, participants: [...seen.values()], messages, userEmail: rep.email };
}
