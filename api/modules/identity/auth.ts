// Passwords and sessions are better-auth's job: email + password sign-in, sessions as cookies
// (dashboard) and as bearer tokens (extension, add-in) through its bearer plugin, and the email
// verification links that prove an address belongs to whoever signed up with it, and password
// resets; both links travel by mail (queued in mail_outbox, sent by the mail worker).
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { createEmailVerificationToken } from 'better-auth/api';
import { bearer } from 'better-auth/plugins';
import { serialize, serializeSigned } from 'hono/utils/cookie';
import type { Db } from '../../../db/client.ts';
import { account, session, user, verification } from '../../../db/schema/index.ts';
import { silentLogger, type Logger } from '../../log.ts';
import { queueAccountMail } from '../mail/mail-outbox.service.ts';

export interface AuthOptions {
  db: Db;
  secret: string;
  baseURL: string;
  trustedOrigins?: string[];
  log?: Logger;
}

/** How long a password reset link works. */
export const RESET_LINK_SECONDS = 3600;

/** The web app's page that takes a new password for a reset token. */
export const resetPasswordPath = (token: string) => `/app/reset-password?token=${encodeURIComponent(token)}`;

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
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      autoSignIn: true,
      // POST /api/auth/request-password-reset {email} mails a link to the web app's reset page, which
      // posts the new password to /api/auth/reset-password {token, newPassword}. Unknown addresses
      // get the same answer and no mail.
      resetPasswordTokenExpiresIn: RESET_LINK_SECONDS,
      sendResetPassword: async ({ user: u, token }) => {
        await queueAccountMail(options.db, { to: u.email, userId: u.id, template: 'password_reset', data: { name: u.name, url: resetPasswordPath(token) }, dedupeKey: `reset:${token}` });
        log.info('password reset mail queued', { userId: u.id });
      },
      // A reset password ends every session: whoever had the old one is signed out.
      revokeSessionsOnPasswordReset: true,
    },
    emailVerification: {
      // Sign-up writes its link itself, after the account and its organization are committed.
      sendOnSignUp: false,
      expiresIn: VERIFICATION_LINK_SECONDS,
      // POST /api/auth/send-verification-email {email} mails a fresh link.
      sendVerificationEmail: async ({ user: u, url, token }) => {
        await queueAccountMail(options.db, { to: u.email, userId: u.id, template: 'email_verification', data: { name: u.name, url }, dedupeKey: `verify:${token}` });
        log.info('email verification mail queued', { userId: u.id });
      },
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
