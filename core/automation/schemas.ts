// The /workflows API's shapes (api/modules/automation/workflows.routes.ts).
import { z } from 'zod';
import { Id, Timestamp } from '../schemas/common.ts';
import { workflowStates } from './lifecycle.ts';
import { WorkflowDefinition } from './definition.ts';

export const WorkflowCreate = z.strictObject({ name: z.string().trim().min(1).max(200), definition: WorkflowDefinition }).meta({ id: 'WorkflowCreate' });
export const WorkflowUpdate = z
  .strictObject({ name: z.string().trim().min(1).max(200).optional(), definition: WorkflowDefinition.optional() })
  .meta({ id: 'WorkflowUpdate' });

export const Workflow = z
  .object({
    id: Id,
    name: z.string(),
    state: z.enum(workflowStates),
    version: z.number().int(),
    versionId: Id,
    definition: z.unknown().meta({ description: 'trigger, conditions and actions (see WorkflowCreate)' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Workflow' });
export const WorkflowList = z.object({ data: z.array(Workflow) }).meta({ id: 'WorkflowList' });

export const WorkflowRunStep = z.object({
  stepIndex: z.number().int(),
  actionType: z.string(),
  attempt: z.number().int(),
  status: z.enum(['completed', 'failed', 'stopped']),
  input: z.record(z.string(), z.unknown()),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  at: Timestamp,
});

export const WorkflowRun = z
  .object({
    id: Id,
    workflowId: Id,
    versionId: Id,
    version: z.number().int(),
    triggerKey: z.string(),
    eventType: z.string(),
    recordType: z.string(),
    recordId: Id,
    status: z.enum(['running', 'waiting', 'retrying', 'completed', 'stopped', 'skipped', 'failed']),
    nextStep: z.number().int(),
    attempts: z.number().int(),
    resumeAt: Timestamp.nullable(),
    reason: z.string().nullable(),
    createdAt: Timestamp,
    finishedAt: Timestamp.nullable(),
    steps: z.array(WorkflowRunStep).optional(),
  })
  .meta({ id: 'WorkflowRun' });

export const WorkflowRunQuery = z.object({
  status: z.enum(['running', 'waiting', 'retrying', 'completed', 'stopped', 'skipped', 'failed']).optional(),
  recordId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const WorkflowRunList = z.object({ data: z.array(WorkflowRun) }).meta({ id: 'WorkflowRunList' });

export const WorkflowReplay = z.strictObject({ runIds: z.array(Id).max(500).optional() }).meta({ id: 'WorkflowReplay' });
export const WorkflowReplayResult = z.object({ replayed: z.array(WorkflowRun) }).meta({ id: 'WorkflowReplayResult' });

export const WorkflowTest = z.strictObject({ recordId: Id }).meta({ id: 'WorkflowTest' });
export const WorkflowTestResult = z
  .object({
    recordFound: z.boolean(),
    conditionsMet: z.boolean(),
    explanation: z.array(z.string()),
    actions: z.array(z.object({ index: z.number().int(), type: z.string(), wouldDo: z.string() })),
    note: z.string(),
  })
  .meta({ id: 'WorkflowTestResult' });
