// Options both stand-ins share.

/** Milliseconds since the epoch; tests pass their own to move time forward. */
export type Clock = () => number;

export interface VolumeCounts {
  companies: number;
  contacts: number;
  deals: number;
  activities: number;
}

export type Volume = 'empty' | 'small' | 'bench' | VolumeCounts;

export const volumes: Record<'empty' | 'small' | 'bench', VolumeCounts> = {
  empty: { companies: 0, contacts: 0, deals: 0, activities: 0 },
  small: { companies: 20, contacts: 60, deals: 30, activities: 120 },
  bench: { companies: 2_000, contacts: 10_000, deals: 5_000, activities: 50_000 },
};

export const volumeCounts = (volume: Volume): VolumeCounts => (typeof volume === 'string' ? volumes[volume] : volume);

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  seed?: number;
  volume?: Volume;
  clock?: Clock;
}
