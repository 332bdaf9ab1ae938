// An app on its own fresh database, with helpers that act as real users do (sign up, invite,
// accept), so tests exercise the same paths as people.
import { createApp } from '../api/app.ts';
import { createAuth } from '../api/modules/identity/auth.ts';
import type { TrackingDeps } from '../api/env.ts';
import { silentLogger, type Logger } from '../api/log.ts';
import { HitBuffer } from '../api/modules/tracking/hit-buffer.ts';
import type { Role } from '../core/roles.ts';
import type { Database } from '../db/client.ts';
import { openTestDatabase } from './database.ts';

export interface Caller {
  token: string;
  userId: string;
  orgId: string;
  email: string;
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  database: Database;
  /** Tracking as the server has it, except the hit buffer's loop is not started: call `tracking.hits.flush()`. */
  tracking: TrackingDeps;
  request: (method: string, path: string, options?: { as?: Caller | string; body?: unknown; raw?: string; headers?: Record<string, string> }) => Promise<{ status: number; body: any }>;
  newOrg: (name: string) => Promise<{ admin: Caller; orgId: string; member: (role: Role, name?: string) => Promise<Caller> }>;
  close: () => Promise<void>;
}

let counter = 0;

/** The tracking keyring tests sign with. */
export const testTrackingKeyring = { currentKeyId: 't1', keys: { t1: 'test-tracking-secret-0123456789abcdef' } };

export async function createTestApp(options: { log?: Logger; clock?: () => number } = {}): Promise<TestApp> {
  const database = await openTestDatabase();
  const auth = createAuth({ db: database.db, secret: 'test-secret-that-is-long-enough-for-auth', baseURL: 'http://localhost:8787' });
  const log = options.log ?? silentLogger;
  const tracking: TrackingDeps = {
    baseUrl: 'http://localhost:8787',
    keyring: testTrackingKeyring,
    retentionDays: 90,
    // Tests say where a request comes from with X-Forwarded-For.
    trustProxy: true,
    hits: new HitBuffer({ db: database.db, log, now: options.clock }),
  };
  const app = createApp({ db: database.db, auth, log, publicUrl: 'http://localhost:8787', tracking });

  const request: TestApp['request'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    const token = typeof options.as === 'string' ? options.as : options.as?.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    } else if (options.raw !== undefined) headers['content-type'] ??= 'application/json';
    const res = await app.request(path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed };
  };

  const newOrg: TestApp['newOrg'] = async (name) => {
    const n = ++counter;
    const email = `admin${n}.${process.pid}@${name.toLowerCase().replace(/\W+/g, '')}.test`;
    const res = await request('POST', '/api/v1/signup', { body: { name: `Admin ${n}`, email, password: 'correct-horse-1', organizationName: name } });
    if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
    const admin: Caller = { token: res.body.token, userId: res.body.user.id, orgId: res.body.organization.id, email };
    const member = async (role: Role, memberName = `${role} ${++counter}`) => {
      const memberEmail = `${memberName.toLowerCase().replace(/\W+/g, '.')}.${counter}@${name.toLowerCase().replace(/\W+/g, '')}.test`;
      const invite = await request('POST', '/api/v1/invitations', { as: admin, body: { email: memberEmail, role } });
      if (invite.status !== 201) throw new Error(`invite failed: ${invite.status} ${JSON.stringify(invite.body)}`);
      const token = new URL(invite.body.inviteUrl).searchParams.get('token')!;
      const accepted = await request('POST', '/api/v1/invitations/accept', { body: { token, name: memberName, password: 'correct-horse-2' } });
      if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
      return { token: accepted.body.token, userId: accepted.body.user.id, orgId: admin.orgId, email: memberEmail };
    };
    return { admin, orgId: admin.orgId, member };
  };

  return { app, database, tracking, request, newOrg, close: () => database.close() };
}
