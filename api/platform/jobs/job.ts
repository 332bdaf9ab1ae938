// A scheduled job: one file per job under api/jobs/, listed in api/jobs/registry.ts and run by
// pg-boss (api/jobs/scheduler.ts) on its cron. Jobs run across all organisations, as the database
// owner, and scope each organisation's work with withTenant themselves.
import type { Db } from '../../../db/client.ts';
import type { Logger } from '../../log.ts';

export interface JobContext {
  db: Db;
  log: Logger;
  now: Date;
}

export interface JobDefinition {
  /** pg-boss queue name: lower-case words joined by dashes. */
  name: string;
  /** Five-field cron, UTC. */
  cron: string;
  run(context: JobContext): Promise<void>;
}
