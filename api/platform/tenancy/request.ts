// The request's unit of work: its caller's organization, the app's clock.
import type { AppEnv } from '../../env.ts';
import { inTenant, type Scope } from './scope.ts';

export const inRequestTenant = <T>(c: { var: AppEnv['Variables'] }, work: (s: Scope) => Promise<T>): Promise<T> =>
  inTenant(c.var.deps.db, c.var.deps.clock, c.var.actor, work, { withoutOutbox: c.var.deps.benchmarkWithoutOutbox });
