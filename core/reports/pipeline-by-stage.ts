// Open pipeline per stage: how many deals, their value, and their value weighted by probability.
import { openStagesInOrder, type CurrencyOption, type ReportDeal, type ReportStage } from './types.ts';

export interface PipelineStageRow {
  stageId: string;
  stageName: string;
  deals: number;
  valueCents: number;
  /** Σ value × probability / 100, rounded to a cent per stage. */
  weightedValueCents: number;
}

export interface PipelineByStage {
  currency: string;
  /** Every open stage in pipeline order, empty ones included. */
  rows: PipelineStageRow[];
  /** Sums of the rows, so a CSV's total line matches its rows. */
  total: { deals: number; valueCents: number; weightedValueCents: number };
}

export function pipelineByStage(stages: readonly ReportStage[], deals: readonly ReportDeal[], { currency }: CurrencyOption): PipelineByStage {
  const rows = openStagesInOrder(stages).map((stage) => {
    const inStage = deals.filter((d) => d.outcome === null && d.stageId === stage.id && d.currency === currency);
    return {
      stageId: stage.id,
      stageName: stage.name,
      deals: inStage.length,
      valueCents: inStage.reduce((s, d) => s + d.valueCents, 0),
      weightedValueCents: Math.round(inStage.reduce((s, d) => s + (d.valueCents * d.probability) / 100, 0)),
    };
  });
  const total = {
    deals: rows.reduce((s, r) => s + r.deals, 0),
    valueCents: rows.reduce((s, r) => s + r.valueCents, 0),
    weightedValueCents: rows.reduce((s, r) => s + r.weightedValueCents, 0),
  };
  return { currency, rows, total };
}
