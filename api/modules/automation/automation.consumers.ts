// Record events start workflows: the consumer finds the active workflows listening to the event
// (by the trigger key copied onto the workflow, one index lookup), starts a run per workflow whose
// conditions hold, and performs its steps at once, in the delivery's transaction (a wait or a failed
// step hands the rest to the resume job). Matching never happens in the request path.
import { eventTriggers, recordKindOfTrigger, type EventTrigger } from '../../../core/automation/definition.ts';
import { originOf } from '../../../core/automation/execution.ts';
import type { DomainEvent, EventType } from '../../../core/events.ts';
import type { EventConsumer } from '../../platform/events/consumer.ts';
import { activeWorkflowsFor, startRun } from './engine.ts';
import { loadFacts } from './record-facts.ts';

/** The workflow triggers an event stands for: a risk change into high is "entered high risk". */
export function triggersOf(event: Pick<DomainEvent, 'type' | 'changes'>): EventTrigger[] {
  if (event.type === 'deal.risk_changed') {
    const band = event.changes.band as { old?: unknown; new?: unknown } | undefined;
    return band?.new === 'high' && band.old !== 'high' ? ['deal.entered_high_risk'] : [];
  }
  return (eventTriggers as readonly string[]).includes(event.type) ? [event.type as EventTrigger] : [];
}

const sourceTypes: EventType[] = [...new Set(eventTriggers.map((t) => (t === 'deal.entered_high_risk' ? 'deal.risk_changed' : t)))] as EventType[];

export const workflowTriggers: EventConsumer = {
  name: 'workflow-triggers',
  types: sourceTypes,
  async handle(s, event) {
    const triggers = triggersOf(event);
    if (triggers.length === 0) return;
    const origin = originOf(event.data);
    const listening = await activeWorkflowsFor(s, triggers);
    if (listening.length === 0) return;
    // The record is read once for all the workflows listening (they share its kind: the trigger's).
    const facts = await loadFacts(s, recordKindOfTrigger(listening[0]!.definition.trigger), event.recordId, event.id);
    if (!facts) return;
    for (const wf of listening) {
      await startRun(
        s,
        { workflowId: wf.id, versionId: wf.versionId, version: wf.version, name: wf.name, definition: wf.definition, triggerKey: event.id, eventId: event.id, eventType: event.type, recordId: event.recordId, origin },
        facts,
      );
    }
  },
};
