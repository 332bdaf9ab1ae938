// For the test fakes of the API (ui/sidebar/test-fakes.ts, ui/demo-inbox/test-api.ts,
// extension/background/fake-api.ts): every answer a fake gives is checked against the API's own
// response schemas (core/schemas, the zod schemas the OpenAPI document is generated from), so a fake
// cannot drift from the API and keep tests green. The table below is typed against the generated
// `paths`: a schema whose output is not what the document says that route answers is a type error.
import { z } from 'zod';
import { Activity } from '../../core/schemas/activities.ts';
import { ErrorBody, page } from '../../core/schemas/common.ts';
import { Company } from '../../core/schemas/companies.ts';
import { Contact } from '../../core/schemas/contacts.ts';
import { ThreadContext } from '../../core/schemas/context.ts';
import { EmailLogResult } from '../../core/schemas/emails.ts';
import { Notification, NotificationList } from '../../core/schemas/notifications.ts';
import { Me, Member, Session } from '../../core/schemas/org.ts';
import { Pipeline } from '../../core/schemas/pipelines.ts';
import { DealWithRisk } from '../../core/schemas/risk.ts';
import {
  TrackedMessageList,
  TrackedMessageRegistration,
  TrackedMessageSummary,
  TrackedThreadStateList,
  TrackingDecision,
  TrackingSettings,
} from '../../core/schemas/tracking.ts';
import type { HttpMethod, JsonOf, PathWith, Responses } from './api-types.ts';
import { matchRoute, type ApiRoute } from './routes.ts';

type RouteKey = { [M in HttpMethod]: `${Uppercase<M>} ${PathWith<M>}` }[HttpMethod];
type MethodOf<K extends RouteKey> = K extends `${infer M} ${string}` ? Extract<Lowercase<M>, HttpMethod> : never;
type PathOf<K extends RouteKey> = K extends `${string} ${infer P}` ? Extract<P, PathWith<MethodOf<K>>> : never;
/** One route's success answers: a schema whose output the document's type accepts, or 'empty' (204). */
type Answers<M extends HttpMethod, P extends PathWith<M>> = {
  [S in Extract<keyof Responses<M, P>, 200 | 201 | 204>]?: [JsonOf<Responses<M, P>[S]>] extends [never] ? 'empty' : z.ZodType<JsonOf<Responses<M, P>[S]>>;
};
type Contract = { [K in RouteKey]?: Answers<MethodOf<K>, PathOf<K>> };

const list = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });

/** The success answers of the routes the fakes stand in for. */
export const responseContract = {
  'POST /session': { 200: Session },
  'DELETE /session': { 204: 'empty' },
  'GET /me': { 200: Me },
  'GET /members': { 200: list(Member) },
  'GET /context': { 200: ThreadContext },
  'GET /contacts': { 200: page(Contact) },
  'POST /contacts': { 201: Contact },
  'DELETE /contacts/{id}': { 204: 'empty' },
  'GET /contacts/{id}': { 200: Contact },
  'POST /companies': { 201: Company },
  'GET /companies/{id}': { 200: Company },
  'GET /deals': { 200: page(DealWithRisk) },
  'POST /deals': { 201: DealWithRisk },
  'PATCH /deals/{id}': { 200: DealWithRisk },
  'DELETE /deals/{id}': { 204: 'empty' },
  'POST /activities': { 201: Activity },
  'DELETE /activities/{id}': { 204: 'empty' },
  'POST /tasks': { 201: Activity },
  'GET /tasks': { 200: page(Activity) },
  'GET /deals/at-risk': { 200: list(DealWithRisk) },
  'PATCH /tasks/{id}': { 200: Activity },
  'POST /emails': { 200: EmailLogResult },
  'GET /pipelines': { 200: list(Pipeline) },
  'GET /notifications': { 200: NotificationList },
  'POST /notifications/{id}/read': { 200: Notification },
  'POST /tracking/decision': { 200: TrackingDecision },
  'POST /tracking/messages': { 200: TrackedMessageRegistration, 201: TrackedMessageRegistration },
  'GET /tracking/messages': { 200: TrackedMessageList },
  'POST /tracking/messages/{id}/sent': { 200: TrackedMessageSummary },
  'POST /tracking/sender-views': { 200: z.object({ recorded: z.number().int() }) },
  'GET /tracking/threads': { 200: TrackedThreadStateList },
  'GET /tracking/settings': { 200: TrackingSettings },
  'PATCH /tracking/settings': { 200: TrackingSettings },
} as const satisfies Contract;

export type ContractRoute = keyof typeof responseContract;
export type ContractStatus<K extends ContractRoute> = keyof (typeof responseContract)[K] & number;
/** What a route answers with this status, as the generated types have it. */
export type ContractAnswer<K extends ContractRoute, S extends ContractStatus<K>> = JsonOf<Responses<MethodOf<K>, PathOf<K>>[S & keyof Responses<MethodOf<K>, PathOf<K>>]>;

export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

const routes = Object.keys(responseContract).map((key) => {
  const [method, path] = key.split(' ') as [string, string];
  return [method.toLowerCase(), path] as unknown as ApiRoute;
});

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Throws ContractViolation unless `body` is what the API could answer to `method path` with
 * `status`: the route's schema for a success, `{ error: { code, message } }` for a refusal.
 * `path` is relative to /api/v1 (the query is ignored). Answers the body unchanged.
 */
export function checkAnswer<T>(method: string, path: string, status: number, body: T): T {
  const where = `${method.toUpperCase()} ${path.split('?')[0]} → ${status}`;
  if (status >= 400) {
    const parsed = ErrorBody.safeParse(body);
    if (!parsed.success) throw new ContractViolation(`${where}: not the API's error shape (${describeIssues(parsed.error)})`);
    return body;
  }
  const route = matchRoute(routes, method, path.split('?')[0]!);
  if (!route) throw new ContractViolation(`${where}: not a route the fakes may answer (add it to ui/api-client/test-contract.ts)`);
  const answers = responseContract[`${route[0].toUpperCase()} ${route[1]}` as ContractRoute] as Partial<Record<number, z.ZodType | 'empty'>>;
  const schema = answers[status];
  if (!schema) throw new ContractViolation(`${where}: the API never answers this route with ${status} (it answers ${Object.keys(answers).join(', ')})`);
  if (schema === 'empty') {
    if (body !== null && body !== undefined && body !== '') throw new ContractViolation(`${where}: the API answers this without a body`);
    return body;
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ContractViolation(`${where}: not what the API answers (${describeIssues(parsed.error)})`);
  return body;
}

/** For a fake answering over HTTP: a Response whose JSON body (if any) passed checkAnswer. */
export function contractResponse(method: string, path: string, status: number, body?: unknown): Response {
  checkAnswer(method, path, status, body ?? null);
  return body === undefined ? new Response(null, { status }) : new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}
