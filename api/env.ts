// What every request handler can reach through the Hono context.
import type { Actor } from '../core/roles.ts';
import type { Db } from '../db/client.ts';
import type { Auth } from './auth.ts';
import type { Logger } from './log.ts';

export interface AppDeps {
  db: Db;
  auth: Auth;
  log: Logger;
  publicUrl: string;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    actor: Actor;
  };
}
