// A workflow's states and versions: draft → active ⇄ paused. A draft is edited in place; editing a
// workflow that has been live (active or paused) makes a new version, so runs keep the version they
// started on and the log says which one ran.
export const workflowStates = ['draft', 'active', 'paused'] as const;
export type WorkflowState = (typeof workflowStates)[number];

export const workflowTransitions = ['activate', 'pause'] as const;
export type WorkflowTransition = (typeof workflowTransitions)[number];

/** The state after a transition, or why it cannot happen. */
export function transition(state: WorkflowState, action: WorkflowTransition): { state: WorkflowState } | { refused: string } {
  if (action === 'activate') return state === 'active' ? { refused: 'The workflow is already active' } : { state: 'active' };
  return state === 'active' ? { state: 'paused' } : { refused: state === 'draft' ? 'A draft is not running: activate it first' : 'The workflow is already paused' };
}

/** Does an edit in this state make a new version (true) or change the current one in place? A draft never ran. */
export const editMakesNewVersion = (state: WorkflowState) => state !== 'draft';
