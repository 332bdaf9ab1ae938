// The only file that reads process.env. A bad configuration stops the server at start with the
// field errors instead of failing later.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const Env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787), // 0: any free port (tests)
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('.data'),
  DATABASE_URL: z.string().url().optional(),
  PUBLIC_URL: z.string().url().optional(),
  AUTH_SECRET: z.string().min(32).optional(),
  TRUSTED_ORIGINS: z.string().optional(),
  DEMO_DATA: z.enum(['true', 'false']).optional(),
  DEMO_INBOX: z.enum(['true', 'false']).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  publicUrl: string;
  authSecret: string;
  trustedOrigins: string[];
  demoData: boolean;
  /** Serve the demo inbox page at /demo/inbox/ (DEMO_INBOX; on outside production). */
  demoInbox: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${fields}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  if (e.NODE_ENV === 'production' && !e.AUTH_SECRET) throw new Error('Invalid configuration:\n  AUTH_SECRET: required in production (32+ characters)');
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    authSecret: e.AUTH_SECRET ?? developmentSecret(dataDir),
    trustedOrigins: (e.TRUSTED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    demoData: e.DEMO_DATA ? e.DEMO_DATA === 'true' : e.NODE_ENV !== 'production',
    demoInbox: demoInboxEnabled(env),
    logLevel: e.LOG_LEVEL,
  };
}

/** DEMO_INBOX alone, so createApp can default to it without the rest of the configuration. */
export function demoInboxEnabled(env: Record<string, string | undefined> = process.env): boolean {
  const parsed = Env.pick({ NODE_ENV: true, DEMO_INBOX: true }).safeParse(env);
  if (!parsed.success) return false;
  return parsed.data.DEMO_INBOX ? parsed.data.DEMO_INBOX === 'true' : parsed.data.NODE_ENV !== 'production';
}

// Outside production a secret is made once and kept in the data folder, so sessions survive restarts.
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
