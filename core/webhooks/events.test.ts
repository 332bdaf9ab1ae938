import { describe, expect, it } from 'vitest';
import { webhookTypeOf } from './events.ts';

describe('webhookTypeOf', () => {
  it.each([
    [{ type: 'deal.created', changes: {} }, 'deal.created'],
    [{ type: 'deal.stage_changed', changes: {} }, 'deal.stage_changed'],
    [{ type: 'deal.closed_won', changes: {} }, 'deal.closed_won'],
    [{ type: 'deal.risk_changed', changes: { band: { old: 'medium', new: 'high' } } }, 'deal.at_risk'],
    [{ type: 'deal.risk_changed', changes: { band: { old: null, new: 'high' } } }, 'deal.at_risk'],
    [{ type: 'deal.risk_changed', changes: { band: { old: 'high', new: 'medium' } } }, null],
    [{ type: 'deal.risk_changed', changes: { band: { old: 'low', new: 'medium' } } }, null],
    [{ type: 'deal.owner_changed', changes: {} }, null],
    [{ type: 'contact.updated', changes: {} }, null],
    [{ type: 'task.completed', changes: {} }, 'task.completed'],
    [{ type: 'member.removed', changes: {} }, 'member.removed'],
    [{ type: 'email.clicked', changes: {} }, null],
  ] as const)('%j → %s', (event, expected) => {
    expect(webhookTypeOf(event as never)).toBe(expected);
  });
});
