// What every request handler can reach through the Hono context.
import type { Actor } from '../core/roles.ts';
import type { Db } from '../db/client.ts';
import type { Auth } from './modules/identity/auth.ts';
import type { TrackingConfig } from './config.ts';
import type { Logger } from './log.ts';
import type { HitBuffer } from './modules/tracking/hit-buffer.ts';

/** Email tracking: its configuration, clock and the buffer the public endpoints push hits into. */
export interface TrackingDeps extends TrackingConfig {
  hits: HitBuffer;
}

export interface AppDeps {
  db: Db;
  auth: Auth;
  log: Logger;
  publicUrl: string;
  /**
   * Email tracking. Without it (tools that build an app only to read, e.g. bench:api) the pixel,
   * click and opt-out paths and /tracking are not served.
   */
  tracking?: TrackingDeps;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    actor: Actor;
  };
}
