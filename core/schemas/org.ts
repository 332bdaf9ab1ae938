import { z } from 'zod';
import { Email, Id, Timestamp, requiredText } from './common.ts';
import { roles } from '../roles.ts';

export const Role = z.enum(roles);
const Password = z.string().min(8).max(128);

export const SignUp = z
  .object({ name: requiredText(100), email: Email, password: Password, organizationName: requiredText(100) })
  .strict()
  .meta({ id: 'SignUp' });

export const Session = z
  .object({
    token: z.string().meta({ description: 'Send as Authorization: Bearer <token>' }),
    user: z.object({ id: Id, name: z.string(), email: z.string() }),
    organization: z.object({ id: Id, name: z.string() }),
    role: Role,
    verificationUrl: z
      .string()
      .optional()
      .meta({ description: 'Sign-up only, outside production: the link that verifies the address (until email delivery exists; it is also written to the server log)' }),
  })
  .meta({ id: 'Session' });

export const Me = z
  .object({
    user: z.object({ id: Id, name: z.string(), email: z.string() }),
    organization: z.object({ id: Id, name: z.string() }),
    role: Role,
    organizations: z.array(z.object({ id: Id, name: z.string(), role: Role })),
    emailVerified: z.boolean().optional().meta({ description: 'false until the address is verified by following the link sent at sign-up (POST /me/verification sends a new one)' }),
  })
  .meta({ id: 'Me' });

export const VerificationSent = z
  .object({
    sent: z.boolean().meta({ description: 'false when the address is already verified' }),
    verificationUrl: z.string().optional().meta({ description: 'Outside production: the link itself (until email delivery exists; it is also written to the server log)' }),
  })
  .meta({ id: 'VerificationSent' });

export const InvitationCreate = z.object({ email: Email, role: Role }).strict().meta({ id: 'InvitationCreate' });
export const Invitation = z
  .object({
    id: Id,
    email: z.string(),
    role: Role,
    expiresAt: Timestamp,
    acceptedAt: Timestamp.nullable(),
    inviteUrl: z.string().optional().meta({ description: 'Only in the answer to the admin who created it' }),
  })
  .meta({ id: 'Invitation' });
export const InvitationAccept = z
  .object({ token: z.string().min(10).max(200), name: requiredText(100).optional(), password: Password.optional() })
  .strict()
  .meta({ id: 'InvitationAccept' });

export const Member = z
  .object({
    userId: Id,
    name: z.string(),
    email: z.string(),
    role: Role,
    teamId: Id.nullable(),
    joinedAt: Timestamp,
    deactivatedAt: Timestamp.nullable().meta({ description: 'Set while the member is deactivated: they cannot sign in to this organization, their records stay' }),
  })
  .meta({ id: 'Member' });
export const MemberUpdate = z.object({ role: Role, teamId: Id.nullable() }).partial().strict().meta({ id: 'MemberUpdate' });

export const Team = z.object({ id: Id, name: z.string(), members: z.number().int().meta({ description: 'Active members in the team' }) }).meta({ id: 'Team' });
export const TeamCreate = z.object({ name: requiredText(100) }).strict().meta({ id: 'TeamCreate' });
export const TeamUpdate = z.object({ name: requiredText(100) }).strict().meta({ id: 'TeamUpdate' });

export const ApiKeyCreate = z.object({ name: requiredText(100) }).strict().meta({ id: 'ApiKeyCreate' });
export const ApiKey = z
  .object({
    id: Id,
    name: z.string(),
    prefix: z.string(),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
    key: z.string().optional().meta({ description: 'The secret, present only once, in the answer to its creation' }),
  })
  .meta({ id: 'ApiKey' });

export type SignUp = z.infer<typeof SignUp>;
export type InvitationCreate = z.infer<typeof InvitationCreate>;
