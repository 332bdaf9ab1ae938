import { z } from 'zod';
import { Id, requiredText } from './common.ts';

export const Stage = z
  .object({
    id: Id,
    name: z.string(),
    position: z.number().int(),
    defaultProbability: z.number().int(),
    isWon: z.boolean(),
    isLost: z.boolean(),
  })
  .meta({ id: 'Stage' });

export const Pipeline = z
  .object({ id: Id, name: z.string(), isDefault: z.boolean(), stages: z.array(Stage) })
  .meta({ id: 'Pipeline' });

const Probability = z.number().int().min(0).max(100);

export const StageCreate = z
  .object({
    name: requiredText(100),
    defaultProbability: Probability,
    isWon: z.boolean().default(false),
    isLost: z.boolean().default(false),
    position: z.number().int().min(0).max(1000).optional().meta({ description: 'Insert before this position; default: before the closed stages' }),
  })
  .strict()
  .refine((s) => !(s.isWon && s.isLost), 'a stage cannot be both won and lost')
  .meta({ id: 'StageCreate' });

export const StageUpdate = z
  .object({ name: requiredText(100), defaultProbability: Probability, isWon: z.boolean(), isLost: z.boolean() })
  .partial()
  .strict()
  .meta({ id: 'StageUpdate' });

export const PipelineUpdate = z.object({ name: requiredText(100) }).strict().meta({ id: 'PipelineUpdate' });

export const StageOrder = z.object({ stageIds: z.array(Id).min(1).max(100) }).strict().meta({ id: 'StageOrder' });

export const PipelineCreate = z
  .object({
    name: requiredText(100),
    stages: z
      .array(z.object({ name: requiredText(100), defaultProbability: Probability, isWon: z.boolean().default(false), isLost: z.boolean().default(false) }).strict())
      .min(2)
      .max(50),
  })
  .strict()
  .meta({ id: 'PipelineCreate' });

export type Stage = z.infer<typeof Stage>;
export type Pipeline = z.infer<typeof Pipeline>;
export type StageCreate = z.infer<typeof StageCreate>;
export type StageUpdate = z.infer<typeof StageUpdate>;
export type PipelineCreate = z.infer<typeof PipelineCreate>;
export type PipelineUpdate = z.infer<typeof PipelineUpdate>;
