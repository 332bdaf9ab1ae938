// Passwords and sessions are better-auth's job: email + password sign-in, sessions as cookies
// (dashboard) and as bearer tokens (extension, add-in) through its bearer plugin, and the email
// verification links that prove an address belongs to whoever signed up with it.
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { createEmailVerificationToken } from 'better-auth/api';
import { bearer } from 'better-auth/plugins';
import { serialize, serializeSigned } from 'hono/utils/cookie';
import type { Db } from '../../../db/client.ts';
import { account, session, user, verification } from '../../../db/schema/index.ts';
import { silentLogger, type Logger } from '../../log.ts';

export interface AuthOptions {
  db: Db;
  secret: string;
  baseURL: string;
  trustedOrigins?: string[];
  /** Until a mailer exists, verification links are written here for the operator to pass on. */
  log?: Logger;
}

/** How long an email verification link works. */
export const VERIFICATION_LINK_SECONDS = 3 * 24 * 3600;

export function createAuth(options: AuthOptions) {
  const log = options.log ?? silentLogger;
  return betterAuth({
    database: drizzleAdapter(options.db, { provider: 'pg', schema: { user, session, account, verification } }),
    secret: options.secret,
    baseURL: options.baseURL,
    basePath: '/api/auth',
    trustedOrigins: options.trustedOrigins,
    // Accounts are made by POST /api/v1/signup (with their organization, in one transaction), by
    // invitations and by the admin command; better-auth's own sign-up would make an account that
    // belongs nowhere and can do nothing.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8, maxPasswordLength: 128, autoSignIn: true },
    emailVerification: {
      // Sign-up writes its link itself, after the account and its organization are committed.
      sendOnSignUp: false,
      expiresIn: VERIFICATION_LINK_SECONDS,
      // POST /api/auth/send-verification-email {email} sends a fresh link (to the log, for now).
      sendVerificationEmail: async ({ user: u, url }) => log.info('email verification: send this link to the address', { email: u.email, verificationUrl: url }),
    },
    session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
    // Limits are ours (api/platform/http/protection.ts): counted in Postgres, so they hold across
    // processes, and applied to /api/v1's sign-in too, which calls better-auth server-side.
    rateLimit: { enabled: false },
    plugins: [bearer()],
    advanced: { database: { generateId: 'uuid' } },
    telemetry: { enabled: false },
    logger: { disabled: true },
  });
}

export type Auth = ReturnType<typeof createAuth>;

/** A link that marks `email` verified on the account `userId` when followed (GET, answers JSON). */
export async function verificationLink(auth: Auth, userId: string, email: string): Promise<string> {
  const context = await auth.$context;
  const token = await createEmailVerificationToken(context.secret, email, undefined, VERIFICATION_LINK_SECONDS, { userId });
  return `${context.baseURL}/verify-email?token=${token}`;
}

/**
 * The Set-Cookie value that makes `token` the browser's session, exactly as better-auth signs its own
 * cookie (HMAC-SHA256 of the token with the auth secret; Hono signs the same way), so the web app
 * signs in, signs up and accepts invitations through /api/v1 and then uses the cookie session.
 */
export async function sessionCookie(auth: Auth, token: string): Promise<string> {
  const context = await auth.$context;
  const { name, attributes } = context.authCookies.sessionToken;
  return serializeSigned(name, token, context.secret, {
    path: attributes.path ?? '/',
    httpOnly: attributes.httpOnly ?? true,
    secure: attributes.secure ?? false,
    sameSite: 'Lax',
    maxAge: attributes.maxAge,
  });
}

/** The Set-Cookie value that removes the session cookie (signing out). */
export async function clearedSessionCookie(auth: Auth): Promise<string> {
  const { name, attributes } = (await auth.$context).authCookies.sessionToken;
  return serialize(name, '', { path: attributes.path ?? '/', httpOnly: true, secure: attributes.secure ?? false, sameSite: 'Lax', maxAge: 0 });
}
