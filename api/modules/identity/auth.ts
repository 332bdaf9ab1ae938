// Passwords and sessions are better-auth's job: email + password sign-in, sessions as cookies
// (dashboard) and as bearer tokens (extension, add-in) through its bearer plugin.
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { bearer } from 'better-auth/plugins';
import type { Db } from '../../../db/client.ts';
import { account, session, user, verification } from '../../../db/schema/index.ts';

export interface AuthOptions {
  db: Db;
  secret: string;
  baseURL: string;
  trustedOrigins?: string[];
}

export function createAuth(options: AuthOptions) {
  return betterAuth({
    database: drizzleAdapter(options.db, { provider: 'pg', schema: { user, session, account, verification } }),
    secret: options.secret,
    baseURL: options.baseURL,
    basePath: '/api/auth',
    trustedOrigins: options.trustedOrigins,
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128, autoSignIn: true },
    session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
    plugins: [bearer()],
    advanced: { database: { generateId: 'uuid' } },
    telemetry: { enabled: false },
    logger: { disabled: true },
  });
}

export type Auth = ReturnType<typeof createAuth>;
