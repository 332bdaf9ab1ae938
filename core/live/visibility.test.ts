import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../roles.ts';
import { liveVisibility, type LiveEventFacts } from './visibility.ts';

const org = '00000000-0000-4000-8000-0000000000aa';
const me = '00000000-0000-4000-8000-000000000001';
const other = '00000000-0000-4000-8000-000000000002';
const as = (role: Role): Actor => ({ orgId: org, userId: me, role });

const cases: [string, Role, LiveEventFacts, 'show' | 'gone' | 'none'][] = [
  ['a rep, their own deal moved', 'rep', { type: 'deal.stage_changed', ownerId: me }, 'show'],
  ['a rep, another rep\'s deal moved', 'rep', { type: 'deal.stage_changed', ownerId: other }, 'none'],
  ['a rep, their deal given to another rep', 'rep', { type: 'deal.owner_changed', ownerId: other, previousOwnerId: me }, 'gone'],
  ['a rep, a deal given to them', 'rep', { type: 'deal.owner_changed', ownerId: me, previousOwnerId: other }, 'show'],
  ['a rep, an unowned deal', 'rep', { type: 'deal.updated', ownerId: null }, 'none'],
  ['a rep, their deal\'s risk changed', 'rep', { type: 'deal.risk_changed', ownerId: me }, 'show'],
  ['a manager, anyone\'s deal', 'manager', { type: 'deal.updated', ownerId: other }, 'show'],
  ['readonly, anyone\'s deal', 'readonly', { type: 'deal.deleted', ownerId: other }, 'show'],
  ['a rep, their own task', 'rep', { type: 'task.completed', ownerId: me }, 'show'],
  ['a rep, another rep\'s call', 'rep', { type: 'activity.created', ownerId: other }, 'none'],
  ['a rep, another rep\'s email opened', 'rep', { type: 'email.opened', ownerId: other }, 'none'],
  ['a rep, their email clicked', 'rep', { type: 'email.clicked', ownerId: me }, 'show'],
  ['a manager, another rep\'s email logged', 'manager', { type: 'email.logged', ownerId: other }, 'show'],
  ['a rep, a contact', 'rep', { type: 'contact.updated', ownerId: other }, 'show'],
  ['a rep, a company', 'rep', { type: 'company.created' }, 'show'],
  ['a rep, a pipeline', 'rep', { type: 'pipeline.updated' }, 'show'],
  ['a rep, a new member', 'rep', { type: 'member.added' }, 'show'],
  ['a manager, an invitation', 'manager', { type: 'invitation.created' }, 'none'],
  ['an admin, an invitation', 'admin', { type: 'invitation.created' }, 'show'],
  ['an admin, another person\'s API key', 'admin', { type: 'api_key.created', keyOwnerId: other }, 'none'],
  ['a rep, their own API key', 'rep', { type: 'api_key.revoked', keyOwnerId: me }, 'show'],
];

describe('liveVisibility', () => {
  it.each(cases)('%s', (_label, role, facts, expected) => {
    expect(liveVisibility(as(role), facts)).toBe(expected);
  });
});
