// The engine's decisions, apart from its I/O: whether an event may start a run (loop protection),
// when a failed step is tried again, when a wait ends, a task's due time. Pure; `now` is passed in.
import type { Action } from './definition.ts';

/** Set on every event a workflow's action causes (data.automation): who caused it, how deep the chain is. */
export interface AutomationOrigin {
  workflowId: string;
  runId: string;
  /** 1 for an action of a run started by a person's change; +1 per workflow in between. */
  depth: number;
}

/** Runs per workflow per record per hour beyond which further triggers are skipped (and logged). */
export const RUNS_PER_RECORD_PER_HOUR = 10;
/** A workflow's action may trigger another workflow, whose action another…: this deep at most. */
export const MAX_CHAIN_DEPTH = 3;

export type StartDecision = { start: true; depth: number } | { start: false; reason: string };

/**
 * Loop protection: a workflow never reacts to its own actions' events; chains of workflows stop at
 * MAX_CHAIN_DEPTH; and a record that triggered a workflow RUNS_PER_RECORD_PER_HOUR times in the last
 * hour is left alone until the hour passes.
 */
export function decideStart(input: { workflowId: string; origin: AutomationOrigin | null; runsForRecordLastHour: number; cap?: number }): StartDecision {
  const cap = input.cap ?? RUNS_PER_RECORD_PER_HOUR;
  if (input.origin?.workflowId === input.workflowId) {
    return { start: false, reason: 'The change was made by this workflow itself: a workflow does not trigger itself' };
  }
  const depth = (input.origin?.depth ?? 0) + 1;
  if (depth > MAX_CHAIN_DEPTH) {
    return { start: false, reason: `The change came from a chain of ${input.origin!.depth} workflows: chains stop at ${MAX_CHAIN_DEPTH} to prevent loops` };
  }
  if (input.runsForRecordLastHour >= cap) {
    return { start: false, reason: `This record already started this workflow ${input.runsForRecordLastHour} times in the last hour (the cap is ${cap}): skipped to prevent a loop` };
  }
  return { start: true, depth };
}

/** Attempts per step before the run is marked failed (a person can then replay it). */
export const MAX_STEP_ATTEMPTS = 4;
const RETRY_BASE_MS = 60_000;

/** After a step's `attempt`-th failure (1-based): when to try again, or give up. Delays double: 1, 2, 4 min. */
export function retryPlan(attempt: number, now: Date): { retryAt: Date } | { giveUp: true } {
  if (attempt >= MAX_STEP_ATTEMPTS) return { giveUp: true };
  return { retryAt: new Date(now.getTime() + RETRY_BASE_MS * 2 ** (attempt - 1)) };
}

const HOUR_MS = 3_600_000;

/** When a wait step started at `now` ends. */
export function waitUntil(action: Extract<Action, { type: 'wait' }>, now: Date): Date {
  return new Date(now.getTime() + ((action.days ?? 0) * 24 + (action.hours ?? 0)) * HOUR_MS);
}

/** A created task's due time: relative to the run's step time; none when neither is given. */
export function taskDueAt(action: Extract<Action, { type: 'create_task' }>, now: Date): Date | null {
  if (action.dueInHours !== undefined) return new Date(now.getTime() + action.dueInHours * HOUR_MS);
  if (action.dueInDays !== undefined) return new Date(now.getTime() + action.dueInDays * 24 * HOUR_MS);
  return null;
}

/** Reads the origin a workflow's action stamped on an event, if any. */
export function originOf(data: Record<string, unknown>): AutomationOrigin | null {
  const a = data.automation as Partial<AutomationOrigin> | undefined;
  if (!a || typeof a.workflowId !== 'string' || typeof a.runId !== 'string' || typeof a.depth !== 'number') return null;
  return { workflowId: a.workflowId, runId: a.runId, depth: a.depth };
}
