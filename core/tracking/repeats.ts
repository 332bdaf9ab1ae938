// One person reloading a pixel or following a link again and again counts once. Without this, 600
// pixel loads from one address in a second are 600 "human opens" feeding the deal's risk. A hit
// that would count is a repeat when a hit of the same message, recipient token, network, kind and
// link counted within `repeatWindowMs` of it, in this batch or before (the caller looks those up).
// Repeats are kept (class `repeat`, not counted) so the raw record stays complete for audit.
import { repeatedLoad, type Classification, type HitKind } from './classify.ts';

export const defaultRepeatWindowMs = 60_000;

export interface RepeatCandidate {
  messageId: string;
  /** The token's recipient, or null for a pixel or link shared by every recipient. */
  recipient: string | null;
  kind: HitKind;
  linkIndex: number | null;
  at: number;
  /**
   * Where it came from: the address prefix (/24, /48) when known, else the known network, else null.
   * Two people of one office behind one address reading a shared message within the window are
   * counted once: the price of not keeping addresses.
   */
  source: string | null;
}

/** The key repeats share. */
export const repeatKey = (hit: RepeatCandidate) =>
  [hit.messageId, hit.recipient ?? '*', hit.source ?? '?', hit.kind, hit.linkIndex ?? -1].join('|');

/**
 * Turns every counted hit within `windowMs` of another counted hit with the same key into a repeat.
 * `countedBefore(key)`: times of hits with that key already stored as counted (other batches,
 * other processes). Within the batch, hits are taken in time order, so the first one counts.
 */
export function countRepeatsOnce<H extends RepeatCandidate>(
  settled: readonly { hit: H; classification: Classification }[],
  countedBefore: (key: string) => readonly number[],
  windowMs: number = defaultRepeatWindowMs,
): { hit: H; classification: Classification }[] {
  const counted = new Map<string, number[]>();
  const order = settled.map((_, i) => i).sort((a, b) => settled[a]!.hit.at - settled[b]!.hit.at);
  const result = [...settled];
  for (const i of order) {
    const { hit, classification } = settled[i]!;
    if (!classification.counts) continue;
    const key = repeatKey(hit);
    let times = counted.get(key);
    if (!times) counted.set(key, (times = [...countedBefore(key)]));
    if (times.some((t) => Math.abs(hit.at - t) < windowMs)) {
      result[i] = { hit, classification: repeatedLoad(hit.kind) };
      continue;
    }
    times.push(hit.at);
  }
  return result;
}
