import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { Id, IdParam } from '../../../core/schemas/common.ts';
import { Pipeline, PipelineCreate, PipelineUpdate, StageCreate, StageOrder, StageUpdate } from '../../../core/schemas/pipelines.ts';
import type { AppEnv } from '../../env.ts';
import { conflictResponse, errorResponses, jsonBody, jsonContent } from '../../platform/http/openapi.ts';
import { inRequestTenant } from '../../platform/tenancy/request.ts';
import { addStage, createPipeline, deleteStage, getPipeline, listPipelines, renamePipeline, reorderStages, updateStage } from './pipelines.service.ts';

const tags = ['Pipelines'];
const StageParams = z.object({ id: Id, stageId: Id });

export const pipelineRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: 'get', path: '/pipelines', tags, summary: 'Pipelines with their stages in order',
      responses: { 200: jsonContent(z.object({ data: z.array(Pipeline) }), 'Pipelines'), ...errorResponses },
    }),
    async (c) => c.json({ data: await inRequestTenant(c, (s) => listPipelines(s)) }, 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/pipelines/{id}', tags, summary: 'One pipeline',
      request: { params: IdParam },
      responses: { 200: jsonContent(Pipeline, 'The pipeline'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => getPipeline(s, c.req.valid('param').id)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/pipelines', tags, summary: 'Create a pipeline (admins)',
      request: jsonBody(PipelineCreate),
      responses: { 201: jsonContent(Pipeline, 'Created'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => createPipeline(s, c.req.valid('json'))), 201),
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/pipelines/{id}', tags, summary: 'Rename a pipeline (admins)',
      request: { params: IdParam, ...jsonBody(PipelineUpdate) },
      responses: { 200: jsonContent(Pipeline, 'The pipeline'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await inRequestTenant(c, (s) => renamePipeline(s, id, c.req.valid('json'))), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/pipelines/{id}/stages', tags, summary: 'Add a stage (admins)',
      request: { params: IdParam, ...jsonBody(StageCreate) },
      responses: { 201: jsonContent(Pipeline, 'The pipeline with the new stage'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await inRequestTenant(c, (s) => addStage(s, id, c.req.valid('json'))), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/pipelines/{id}/stages/{stageId}', tags, summary: 'Rename a stage or change its probability or won/lost flags (admins)',
      request: { params: StageParams, ...jsonBody(StageUpdate) },
      responses: { 200: jsonContent(Pipeline, 'The pipeline'), ...errorResponses },
    }),
    async (c) => {
      const { id, stageId } = c.req.valid('param');
      return c.json(await inRequestTenant(c, (s) => updateStage(s, id, stageId, c.req.valid('json'))), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/pipelines/{id}/stage-order', tags, summary: 'Reorder the stages (admins)',
      request: { params: IdParam, ...jsonBody(StageOrder) },
      responses: { 200: jsonContent(Pipeline, 'The pipeline'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await inRequestTenant(c, (s) => reorderStages(s, id, c.req.valid('json').stageIds)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/pipelines/{id}/stages/{stageId}', tags, summary: 'Delete a stage no deal has ever been in (admins)',
      request: { params: StageParams },
      responses: { 200: jsonContent(Pipeline, 'The pipeline'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => {
      const { id, stageId } = c.req.valid('param');
      return c.json(await inRequestTenant(c, (s) => deleteStage(s, id, stageId)), 200);
    },
  );
