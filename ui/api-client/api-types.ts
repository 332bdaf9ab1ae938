// Names for the API's types, all read from the generated openapi.d.ts (never written by hand), so a
// change to a route or a schema shows up here as a type error in the code that relies on it.
import type { components, paths } from './openapi.d.ts';

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';
/** The API's paths (relative to /api/v1) that answer `M`. */
export type PathWith<M extends HttpMethod> = { [P in keyof paths]: paths[P] extends { [K in M]: object } ? P : never }[keyof paths];

type Operation<M extends HttpMethod, P extends PathWith<M>> = paths[P][M];
/** A route's answers by status. */
export type Responses<M extends HttpMethod, P extends PathWith<M>> = Operation<M, P> extends { responses: infer R } ? R : never;
/** The JSON of one answer (never for one without a body, e.g. 204). */
export type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : never;

/** The JSON body a route takes. */
export type RequestBody<M extends HttpMethod, P extends PathWith<M>> = Operation<M, P> extends { requestBody?: infer B } ? JsonOf<NonNullable<B>> : never;

type Schemas = components['schemas'];
export type Activity = Schemas['Activity'];
export type Company = Schemas['Company'];
export type Contact = Schemas['Contact'];
/** A deal as every deal route answers it: with its stored risk (null once closed). */
export type Deal = Schemas['DealWithRisk'];
export type Pipeline = Schemas['Pipeline'];
export type Me = Schemas['Me'];
export type Session = Schemas['Session'];
export type AppNotification = Schemas['Notification'];
export type NotificationList = Schemas['NotificationList'];
export type ThreadContext = Schemas['ThreadContext'];
export type EmailLogResult = Schemas['EmailLogResult'];
export type TrackingDecision = Schemas['TrackingDecision'];
export type TrackingSettings = Schemas['TrackingSettings'];
export type TrackedMessageRegistration = Schemas['TrackedMessageRegistration'];
export type TrackedMessageSummary = Schemas['TrackedMessageSummary'];
export type TrackedThreadState = Schemas['TrackedThreadState'];

/** The explainable risk score the API puts on deals: score 0..1 (shown as 0–100), band, reasons. */
export type DealRisk = NonNullable<Schemas['DealWithRisk']['risk']>;
/**
 * A deal as the context lookup answers it: with its stored risk. The document types the context's
 * deals as plain `Deal` (core/schemas/context.ts), although the lookup adds `risk`; hence optional.
 */
export type SidebarDeal = Deal & { risk?: DealRisk | null };
