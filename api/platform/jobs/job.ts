// A job works for one organization at a time. A definition names its queue, validates its payload
// (which always carries the organization) when it is queued and again when it runs, and may have a
// cron: then the scheduler queues one job per organization at those times, never one sweep over
// all. Jobs run as the system in their organization's scope (ctx.inOrg) with the clock of the run,
// and are written so a second run finds the work done and exits ('nothing-to-do').
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import type { Logger } from '../../log.ts';
import type { Scope } from '../tenancy/scope.ts';

export const OrgPayload = z.object({ orgId: z.uuid() });
export type OrgPayload = z.infer<typeof OrgPayload>;

export interface JobContext {
  /** The owner connection, for what is not one organization's data (pg-boss, the org list). */
  db: Db;
  log: Logger;
  /** The time of this run: the scheduler's clock, read once. */
  now: Date;
  /** Work in the job's organization, in one transaction, as the system. */
  inOrg<T>(work: (s: Scope) => Promise<T>): Promise<T>;
}

/** What a run did: its own counts to log, or that there was nothing left to do. */
export type JobOutcome = Record<string, number | string> | 'nothing-to-do';

export interface JobDefinition<P extends OrgPayload = OrgPayload> {
  /** pg-boss queue name: lower-case words joined by dashes. */
  name: string;
  /** The payload, orgId included; checked on send and on run. */
  payload: z.ZodType<P>;
  /** Five-field cron, UTC: one job per organization is queued at these times, with `cronPayload`. */
  cron?: string;
  /** The payload of a scheduled run beyond orgId (e.g. the day it is for), from the time it was queued. */
  cronPayload?: (orgId: string, now: Date) => P;
  /** Attempts after the first, and the first delay; later delays double (with pg-boss's jitter). Default 3 from 60 s. */
  retry?: { limit: number; delaySeconds: number };
  run(ctx: JobContext, payload: P): Promise<JobOutcome>;
}

/** Types a definition while keeping its payload type (a registry holds them as JobDefinition). */
export const defineJob = <P extends OrgPayload>(job: JobDefinition<P>): JobDefinition => job as unknown as JobDefinition;
