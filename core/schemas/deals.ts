import { z } from 'zod';
import { BooleanQuery, Currency, CustomFields, DateOnly, Id, PageQuery, Timestamp, UserRef, requiredText, shortText } from './common.ts';
import { dealFilterFields } from './deal-filters.ts';

export const DealInput = z.object({
  name: requiredText(),
  valueCents: z.number().int().min(0).max(1e15),
  currency: Currency,
  pipelineId: Id,
  stage: Id.meta({ description: 'A stage id of the deal\'s pipeline (GET /pipelines)' }),
  probability: z.number().int().min(0).max(100),
  ownerId: Id,
  companyId: Id.nullable(),
  contactIds: z.array(Id).max(100),
  expectedCloseDate: DateOnly.nullable(),
  lostReason: shortText(500).nullable(),
  customFields: CustomFields,
});

export const DealCreate = DealInput.partial({
  valueCents: true,
  currency: true,
  pipelineId: true,
  stage: true,
  probability: true,
  ownerId: true,
  companyId: true,
  contactIds: true,
  expectedCloseDate: true,
  lostReason: true,
  customFields: true,
})
  .strict()
  .meta({ id: 'DealCreate' });
export const DealUpdate = DealInput.omit({ pipelineId: true }).partial().strict().meta({ id: 'DealUpdate' });

export const DealStageRef = z.object({ id: Id, name: z.string(), isWon: z.boolean(), isLost: z.boolean() });

export const Deal = z
  .object({
    id: Id,
    name: z.string(),
    valueCents: z.number(),
    currency: z.string(),
    pipelineId: Id,
    stage: Id,
    stageInfo: DealStageRef,
    probability: z.number(),
    ownerId: Id.nullable(),
    owner: UserRef.nullable(),
    companyId: Id.nullable(),
    contactIds: z.array(Id),
    expectedCloseDate: z.string().nullable(),
    actualCloseDate: z.string().nullable(),
    outcome: z.enum(['won', 'lost']).nullable(),
    lostReason: z.string().nullable(),
    stageChangedAt: Timestamp,
    customFields: z.record(z.string(), z.unknown()),
    source: z.string().nullable(),
    externalId: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    deletedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Deal' });

export const StageChange = z
  .object({ fromStage: Id.nullable(), toStage: Id, changedAt: Timestamp, changedBy: Id.nullable() })
  .meta({ id: 'StageChange' });

export const DealListQuery = PageQuery.extend({
  ...dealFilterFields,
  pipelineId: Id.optional(),
  companyId: Id.optional(),
  contactId: Id.optional(),
  status: z.enum(['open', 'won', 'lost']).optional(),
  deleted: BooleanQuery.optional(),
});

export type DealCreate = z.infer<typeof DealCreate>;
export type DealUpdate = z.infer<typeof DealUpdate>;
export type Deal = z.infer<typeof Deal>;
export type DealListQuery = z.infer<typeof DealListQuery>;
