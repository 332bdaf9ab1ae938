// /workflows: automation workflows (admins change them, managers read them), their runs with each
// step's log, replay of failed runs, and "test on this record" (a dry run).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { IdParam, Id } from '../../../core/schemas/common.ts';
import {
  Workflow,
  WorkflowCreate,
  WorkflowList,
  WorkflowReplay,
  WorkflowReplayResult,
  WorkflowRun,
  WorkflowRunList,
  WorkflowRunQuery,
  WorkflowTest,
  WorkflowTestResult,
  WorkflowUpdate,
} from '../../../core/automation/schemas.ts';
import type { AppEnv } from '../../env.ts';
import { errorResponses, jsonBody, jsonContent } from '../../platform/http/openapi.ts';
import { inRequestTenant } from '../../platform/tenancy/request.ts';
import { changeWorkflowState, createWorkflow, deleteWorkflow, getRun, getWorkflow, listRuns, listWorkflows, replayRuns, testWorkflow, updateWorkflow } from './workflows.service.ts';

const tags = ['Workflows'];
const RunParams = z.object({ id: Id, runId: Id });

export const workflowRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({ method: 'get', path: '/workflows', tags, summary: 'Workflows (admins and managers)', responses: { 200: jsonContent(WorkflowList, 'Workflows'), ...errorResponses } }),
    async (c) => c.json({ data: await inRequestTenant(c, listWorkflows) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/workflows', tags, summary: 'Create a workflow, as a draft (admins; Pro)',
      request: jsonBody(WorkflowCreate), responses: { 201: jsonContent(Workflow, 'The draft'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => createWorkflow(s, c.req.valid('json'))), 201),
  )
  .openapi(
    createRoute({ method: 'get', path: '/workflows/{id}', tags, summary: 'One workflow, its current version', request: { params: IdParam }, responses: { 200: jsonContent(Workflow, 'The workflow'), ...errorResponses } }),
    async (c) => c.json(await inRequestTenant(c, (s) => getWorkflow(s, c.req.valid('param').id)), 200),
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/workflows/{id}', tags, summary: 'Edit a workflow: a draft in place, a live one as a new version (admins)',
      request: { params: IdParam, ...jsonBody(WorkflowUpdate) }, responses: { 200: jsonContent(Workflow, 'The workflow'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => updateWorkflow(s, c.req.valid('param').id, c.req.valid('json'))), 200),
  )
  .openapi(
    createRoute({ method: 'delete', path: '/workflows/{id}', tags, summary: 'Delete a workflow and its runs (admins)', request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...errorResponses } }),
    async (c) => {
      await inRequestTenant(c, (s) => deleteWorkflow(s, c.req.valid('param').id));
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({ method: 'post', path: '/workflows/{id}/activate', tags, summary: 'Activate (checks the definition first; admins; Pro)', request: { params: IdParam }, responses: { 200: jsonContent(Workflow, 'The workflow'), ...errorResponses } }),
    async (c) => c.json(await inRequestTenant(c, (s) => changeWorkflowState(s, c.req.valid('param').id, 'activate')), 200),
  )
  .openapi(
    createRoute({ method: 'post', path: '/workflows/{id}/pause', tags, summary: 'Pause: no new runs; runs under way go on (admins)', request: { params: IdParam }, responses: { 200: jsonContent(Workflow, 'The workflow'), ...errorResponses } }),
    async (c) => c.json(await inRequestTenant(c, (s) => changeWorkflowState(s, c.req.valid('param').id, 'pause')), 200),
  )
  .openapi(
    createRoute({ method: 'get', path: '/workflows/{id}/runs', tags, summary: 'The run log, newest first', request: { params: IdParam, query: WorkflowRunQuery }, responses: { 200: jsonContent(WorkflowRunList, 'Runs'), ...errorResponses } }),
    async (c) => c.json({ data: await inRequestTenant(c, (s) => listRuns(s, c.req.valid('param').id, c.req.valid('query'))) }, 200),
  )
  .openapi(
    createRoute({ method: 'get', path: '/workflows/{id}/runs/{runId}', tags, summary: 'One run with each step’s input, result and error', request: { params: RunParams }, responses: { 200: jsonContent(WorkflowRun, 'The run'), ...errorResponses } }),
    async (c) => c.json(await inRequestTenant(c, (s) => getRun(s, c.req.valid('param').id, c.req.valid('param').runId)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/workflows/{id}/runs/replay', tags, summary: 'Replay failed runs from the step that failed (all, or those named; admins)',
      request: { params: IdParam, ...jsonBody(WorkflowReplay) }, responses: { 200: jsonContent(WorkflowReplayResult, 'The replayed runs, as they are now'), ...errorResponses },
    }),
    async (c) => c.json({ replayed: await inRequestTenant(c, (s) => replayRuns(s, c.req.valid('param').id, c.req.valid('json').runIds)) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/workflows/{id}/test', tags, summary: 'Test on this record: what the workflow would do, as a dry run (nothing is written)',
      request: { params: IdParam, ...jsonBody(WorkflowTest) }, responses: { 200: jsonContent(WorkflowTestResult, 'What would happen'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => testWorkflow(s, c.req.valid('param').id, c.req.valid('json').recordId)), 200),
  );
