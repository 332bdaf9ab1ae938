// Signing up, signing in and out, the caller's own identity, members, teams, invitations, API keys.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { Id } from '../../../core/schemas/common.ts';
import {
  ApiKey,
  ApiKeyCreate,
  Invitation,
  InvitationAccept,
  InvitationCreate,
  Me,
  Member,
  MemberUpdate,
  Session,
  SignUp,
  Team,
  TeamCreate,
  TeamUpdate,
  VerificationSent,
} from '../../../core/schemas/org.ts';
import type { AppEnv } from '../../env.ts';
import { conflictResponse, errorResponses, goneResponse, jsonBody, jsonContent } from '../../platform/http/openapi.ts';
import { protectionOf } from '../../platform/http/protection.ts';
import { inRequestTenant } from '../../platform/tenancy/request.ts';
import { acceptInvitation, describeMe, resendVerification, signIn, signUp } from './accounts.service.ts';
import { clearedSessionCookie, sessionCookie } from './auth.ts';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.service.ts';
import { createInvitation, listInvitations, renewInvitationLink, revokeInvitation } from './invitations.service.ts';
import { createTeam, deleteTeam, listMembers, listTeams, removeMember, renameTeam, setMemberActive, updateMember } from './members.service.ts';

const SignIn = z.object({ email: z.string().trim().max(320), password: z.string().max(128) }).strict().meta({ id: 'SignIn' });
const UserIdParam = z.object({ userId: Id });
const IdParam = z.object({ id: Id });

/** The deps the account functions that run before a tenant is known need. */
const accountDeps = (c: { var: AppEnv['Variables'] }) => {
  const { db, auth, clock, log } = c.var.deps;
  return { db, auth, clock, log };
};

/** Routes that work without signing in. */
export const publicAccountRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: 'post', path: '/signup', tags: ['Account'], summary: 'Create an account and a new organization (you become its admin)',
      description:
        'The address is unverified until its owner follows the verification link (written to the server log until email delivery exists; outside production also answered here as `verificationUrl`). ' +
        'An unverified account cannot be added to another organization.',
      request: jsonBody(SignUp),
      responses: { 201: jsonContent(Session, 'Signed up and signed in'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => {
      const body = await signUp(accountDeps(c), c.req.valid('json'), { revealVerificationUrl: protectionOf(c).revealVerificationUrl });
      c.header('Set-Cookie', await sessionCookie(c.var.deps.auth, body.token));
      return c.json(body, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/session', tags: ['Account'], summary: 'Sign in with email and password; answers a bearer token (and sets the session cookie for browsers)',
      request: jsonBody(SignIn),
      responses: { 200: jsonContent(Session, 'Signed in'), ...errorResponses },
    }),
    async (c) => {
      const { db, auth } = c.var.deps;
      const { email, password } = c.req.valid('json');
      const body = await signIn(db, auth, email, password);
      // Browsers (the web app) keep the session as a cookie; other clients use the token.
      c.header('Set-Cookie', await sessionCookie(auth, body.token));
      return c.json(body, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/invitations/accept', tags: ['Account'], summary: 'Accept an invitation (new account: name and password; existing: password)',
      request: jsonBody(InvitationAccept),
      description:
        'Holding the token proves the invited address. An address held by an account that was never verified can be taken over with a name and a new password: that account loses the address, its password, sessions and API keys.',
      responses: { 200: jsonContent(Session, 'Joined the organization and signed in'), ...errorResponses, ...conflictResponse, ...goneResponse },
    }),
    async (c) => {
      const body = await acceptInvitation(accountDeps(c), c.req.valid('json'));
      c.header('Set-Cookie', await sessionCookie(c.var.deps.auth, body.token));
      return c.json(body, 200);
    },
  );

/** Routes for a signed-in caller (mounted behind authenticate). */
export const accountRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: 'delete', path: '/session', tags: ['Account'], summary: 'Sign out (ends the session of the bearer token or cookie)',
      responses: { 204: { description: 'Signed out' }, ...errorResponses },
    }),
    async (c) => {
      await c.var.deps.auth.api.signOut({ headers: c.req.raw.headers }).catch(() => undefined);
      c.header('Set-Cookie', await clearedSessionCookie(c.var.deps.auth));
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/me', tags: ['Account'], summary: 'Who am I, in which organization, with which role',
      responses: { 200: jsonContent(Me, 'The caller'), ...errorResponses },
    }),
    async (c) => c.json(await describeMe(c.var.deps.db, c.var.actor.userId!, c.var.actor.orgId), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/me/verification', tags: ['Account'], summary: 'Send a new link that verifies your email address',
      description: 'Until email delivery exists the link is written to the server log and, outside production, answered as `verificationUrl`.',
      responses: { 200: jsonContent(VerificationSent, 'Sent (or already verified)'), ...errorResponses },
    }),
    async (c) => c.json(await resendVerification(accountDeps(c), c.var.actor.userId!, { revealVerificationUrl: protectionOf(c).revealVerificationUrl }), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/members', tags: ['Members'], summary: 'The organization\'s members',
      responses: { 200: jsonContent(z.object({ data: z.array(Member) }), 'Members'), ...errorResponses },
    }),
    async (c) => c.json({ data: await inRequestTenant(c, (s) => listMembers(s)) }, 200),
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/members/{userId}', tags: ['Members'], summary: 'Change a member\'s role or team (admins)',
      request: { params: UserIdParam, ...jsonBody(MemberUpdate) },
      responses: { 200: jsonContent(Member, 'Updated'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => {
      const { userId } = c.req.valid('param');
      return c.json(await inRequestTenant(c, (s) => updateMember(s, userId, c.req.valid('json'))), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/members/{userId}', tags: ['Members'], summary: 'Remove a member (admins); their API keys are revoked',
      request: { params: UserIdParam },
      responses: { 204: { description: 'Removed' }, ...errorResponses, ...conflictResponse },
    }),
    async (c) => {
      await inRequestTenant(c, (s) => removeMember(s, c.req.valid('param').userId));
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/members/{userId}/deactivate', tags: ['Members'], summary: 'Deactivate a member (admins): they cannot sign in here until reactivated; their records stay',
      description: 'The last active admin cannot be deactivated, nor can you deactivate yourself (409).',
      request: { params: UserIdParam },
      responses: { 200: jsonContent(Member, 'Deactivated'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => setMemberActive(s, c.req.valid('param').userId, false)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/members/{userId}/reactivate', tags: ['Members'], summary: 'Reactivate a deactivated member (admins)',
      request: { params: UserIdParam },
      responses: { 200: jsonContent(Member, 'Active again'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => setMemberActive(s, c.req.valid('param').userId, true)), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/teams', tags: ['Members'], summary: 'Teams',
      responses: { 200: jsonContent(z.object({ data: z.array(Team) }), 'Teams'), ...errorResponses },
    }),
    async (c) => c.json({ data: await inRequestTenant(c, (s) => listTeams(s)) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/teams', tags: ['Members'], summary: 'Create a team (admins)',
      request: jsonBody(TeamCreate),
      responses: { 201: jsonContent(Team, 'Created'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => createTeam(s, c.req.valid('json').name)), 201),
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/teams/{id}', tags: ['Members'], summary: 'Rename a team (admins)',
      request: { params: IdParam, ...jsonBody(TeamUpdate) },
      responses: { 200: jsonContent(Team, 'Renamed'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await inRequestTenant(c, (s) => renameTeam(s, id, c.req.valid('json').name)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/teams/{id}', tags: ['Members'], summary: 'Delete a team (admins); its members stay, without a team',
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses },
    }),
    async (c) => {
      await inRequestTenant(c, (s) => deleteTeam(s, c.req.valid('param').id));
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/invitations', tags: ['Members'], summary: 'Invitations (admins)',
      responses: { 200: jsonContent(z.object({ data: z.array(Invitation) }), 'Invitations'), ...errorResponses },
    }),
    async (c) => c.json({ data: await inRequestTenant(c, (s) => listInvitations(s)) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/invitations', tags: ['Members'], summary: 'Invite someone by email with a role (admins)',
      description: 'The invitation link is mailed to the address (in the same transaction: no invitation without its mail) and returned here as inviteUrl.',
      request: jsonBody(InvitationCreate),
      responses: { 201: jsonContent(Invitation, 'Invited'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => {
      const { log, publicUrl } = c.var.deps;
      const invitation = await inRequestTenant(c, (s) => createInvitation(s, c.req.valid('json'), publicUrl));
      log.info('invitation created and mailed', { invitationId: invitation.id, role: invitation.role });
      return c.json(invitation, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/invitations/{id}', tags: ['Members'], summary: 'Revoke an open invitation (admins)',
      request: { params: IdParam },
      responses: { 204: { description: 'Revoked' }, ...errorResponses },
    }),
    async (c) => {
      await inRequestTenant(c, (s) => revokeInvitation(s, c.req.valid('param').id));
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/invitations/{id}/link', tags: ['Members'], summary: 'A new link for an open invitation (admins); the old link stops working',
      description: 'Only a hash of each link is kept, so a link cannot be shown twice: this makes a new one, valid for another 7 days.',
      request: { params: IdParam },
      responses: { 200: jsonContent(Invitation, 'The invitation with its new inviteUrl'), ...errorResponses },
    }),
    async (c) => {
      const { log, publicUrl } = c.var.deps;
      const invitation = await inRequestTenant(c, (s) => renewInvitationLink(s, c.req.valid('param').id, publicUrl));
      log.info('invitation link renewed and mailed', { invitationId: invitation.id, role: invitation.role });
      return c.json(invitation, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api-keys', tags: ['API keys'], summary: 'Your API keys (the secrets are never shown again)',
      responses: { 200: jsonContent(z.object({ data: z.array(ApiKey) }), 'API keys'), ...errorResponses },
    }),
    async (c) => c.json({ data: await inRequestTenant(c, (s) => listApiKeys(s)) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api-keys', tags: ['API keys'], summary: 'Create an API key; the answer is the only time the key is shown',
      request: jsonBody(ApiKeyCreate),
      responses: { 201: jsonContent(ApiKey, 'Created'), ...errorResponses },
    }),
    async (c) => c.json(await inRequestTenant(c, (s) => createApiKey(s, c.req.valid('json').name)), 201),
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/api-keys/{id}', tags: ['API keys'], summary: 'Revoke one of your API keys',
      request: { params: IdParam },
      responses: { 204: { description: 'Revoked' }, ...errorResponses },
    }),
    async (c) => {
      await inRequestTenant(c, (s) => revokeApiKey(s, c.req.valid('param').id));
      return c.body(null, 204);
    },
  );
