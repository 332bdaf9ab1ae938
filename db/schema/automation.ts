// Workflows (api/modules/automation): a workflow, its versions (each edit of a live workflow is a
// new version; a run keeps the one it started on), the runs (one per version and triggering event
// or time occurrence: the unique key that makes a replayed event act once) and each run's step log.
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { WorkflowDefinition } from '../../core/automation/definition.ts';
import { user } from './auth.ts';
import { createdAt, id, updatedAt } from './columns.ts';
import { orgId } from './tenancy.ts';

export const workflows = pgTable(
  'workflows',
  {
    id: id(),
    orgId: orgId(),
    name: text('name').notNull(),
    state: text('state', { enum: ['draft', 'active', 'paused'] }).notNull().default('draft'),
    /** The version new runs use (the latest). */
    currentVersionId: uuid('current_version_id'),
    /** What the current version listens to: an event type, or `time` (copied for matching by index). */
    triggerKey: text('trigger_key').notNull(),
    createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('workflows_org_trigger_idx').on(t.orgId, t.triggerKey).where(sql`state = 'active'`), index('workflows_org_created_idx').on(t.orgId, t.createdAt)],
);

export const workflowVersions = pgTable(
  'workflow_versions',
  {
    id: id(),
    orgId: orgId(),
    workflowId: uuid('workflow_id')
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    definition: jsonb('definition').$type<WorkflowDefinition>().notNull(),
    createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('workflow_versions_uq').on(t.orgId, t.workflowId, t.version)],
);

export const workflowRunStatuses = ['running', 'waiting', 'retrying', 'completed', 'stopped', 'skipped', 'failed'] as const;

export const workflowRuns = pgTable(
  'workflow_runs',
  {
    id: id(),
    orgId: orgId(),
    workflowId: uuid('workflow_id')
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    versionId: uuid('version_id')
      .notNull()
      .references(() => workflowVersions.id, { onDelete: 'cascade' }),
    /** The triggering event's id, or `time:<occurrence>` for a time trigger: unique per version. */
    triggerKey: text('trigger_key').notNull(),
    eventId: uuid('event_id'),
    eventType: text('event_type').notNull(),
    recordType: text('record_type').notNull(),
    recordId: uuid('record_id').notNull(),
    status: text('status', { enum: workflowRunStatuses }).notNull(),
    /** The index of the next action to perform; every action before it is done. */
    nextStep: integer('next_step').notNull().default(0),
    /** Failed attempts of the next step so far. */
    attempts: integer('attempts').notNull().default(0),
    /** Waiting or retrying: when to go on. */
    resumeAt: timestamp('resume_at', { withTimezone: true }),
    /** 1 for a person's change; one more per workflow whose action led here (loop protection). */
    depth: integer('depth').notNull().default(1),
    /** Why it was skipped, stopped or failed, in a sentence. */
    reason: text('reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('workflow_runs_trigger_uq').on(t.orgId, t.versionId, t.triggerKey),
    index('workflow_runs_due_idx').on(t.orgId, t.resumeAt).where(sql`status in ('waiting', 'retrying')`),
    index('workflow_runs_log_idx').on(t.orgId, t.workflowId, t.createdAt),
    index('workflow_runs_record_idx').on(t.orgId, t.workflowId, t.recordId, t.createdAt),
  ],
);

export const workflowRunSteps = pgTable(
  'workflow_run_steps',
  {
    id: id(),
    orgId: orgId(),
    runId: uuid('run_id')
      .notNull()
      .references(() => workflowRuns.id, { onDelete: 'cascade' }),
    stepIndex: integer('step_index').notNull(),
    actionType: text('action_type').notNull(),
    attempt: integer('attempt').notNull(),
    status: text('status', { enum: ['completed', 'failed', 'stopped'] }).notNull(),
    input: jsonb('input').$type<Record<string, unknown>>().notNull(),
    result: jsonb('result').$type<Record<string, unknown>>(),
    error: text('error'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('workflow_run_steps_uq').on(t.orgId, t.runId, t.stepIndex, t.attempt)],
);
