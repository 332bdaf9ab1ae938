// Settings → Workflows (admins): the organization's workflows with their state and version, a
// form-based builder that shows the whole flow in words as it is built (and the API's field errors
// when it is not valid), activate / pause, "test on this record" (a dry run), and each workflow's
// run log with every step's result and error, and replay of failed runs.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { describeWorkflow, opWords, type Names } from '../../../core/automation/describe.ts';
import { eventTriggers, operatorsByType, timeTriggers, type Action, type Condition, type WorkflowDefinition } from '../../../core/automation/definition.ts';
import { fieldOf, recordFields } from '../../../core/automation/fields.ts';
import { recordKindOfTrigger } from '../../../core/automation/definition.ts';
import type { components } from '../../api-client/openapi.d.ts';
import { call, errorMessage, useApi } from '../api.ts';
import { dateTime } from '../format.ts';
import { useMembers, usePipelines } from '../queries.ts';
import { Badge, Button, EmptyState, ErrorState, Skeleton } from '../shell/ui.tsx';
import { useSettingsMutation } from '../settings/settings-data.ts';
import './workflows.css';

type Workflow = components['schemas']['Workflow'];
type Run = components['schemas']['WorkflowRun'];

const keys = { list: ['workflows'] as const, runs: (id: string, status: string) => ['workflows', id, 'runs', status] as const };

const stateTone = { draft: 'neutral', active: 'success', paused: 'warning' } as const;
const runTone: Record<Run['status'], 'success' | 'info' | 'warning' | 'danger' | 'neutral'> = {
  completed: 'success', running: 'info', waiting: 'info', retrying: 'warning', failed: 'danger', stopped: 'neutral', skipped: 'neutral',
};

const blank = (): WorkflowDefinition => ({
  trigger: { type: 'event', event: 'deal.stage_changed' },
  conditions: { match: 'all', conditions: [] },
  actions: [{ type: 'create_task', subject: '', dueInDays: 2, assignee: 'record_owner' }],
});

function useNames(): Names {
  const pipelines = usePipelines();
  const members = useMembers();
  const stages = new Map((pipelines.data ?? []).flatMap((p) => p.stages.map((s) => [s.id, s.name] as const)));
  const people = new Map((members.data ?? []).map((m) => [m.userId, m.name] as const));
  return { stage: (id) => stages.get(id), member: (id) => people.get(id) };
}

export function WorkflowsSettings() {
  const api = useApi();
  const names = useNames();
  const list = useQuery({ queryKey: keys.list, queryFn: async () => (await call(api.GET('/workflows'))).data });
  const [editing, setEditing] = useState<{ id: string | null; name: string; definition: WorkflowDefinition } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const change = useSettingsMutation((v: { w: Workflow; to: 'activate' | 'pause' }) => call(api.POST(v.to === 'activate' ? '/workflows/{id}/activate' : '/workflows/{id}/pause', { params: { path: { id: v.w.id } } })), {
    refresh: [keys.list],
    success: (r) => (r.state === 'active' ? `“${r.name}” is active` : `“${r.name}” is paused: runs under way go on, no new ones start`),
  });
  const workflows = list.data ?? [];
  return (
    <section className="settings-section" aria-labelledby="workflows-title">
      <header className="settings-section-header">
        <div>
          <h2 id="workflows-title">Workflows</h2>
          <p>Let the CRM do the repetitive part: when something happens to a deal, contact, task or email (or a deal sits still), and the conditions hold, the actions run in order. Every run is logged with each step’s result; a workflow never triggers itself.</p>
        </div>
        {!editing && <Button kind="primary" icon="plus" onClick={() => setEditing({ id: null, name: '', definition: blank() })}>New workflow</Button>}
      </header>
      {editing && <WorkflowEditor key={editing.id ?? 'new'} initial={editing} names={names} onDone={() => setEditing(null)} />}
      {list.isPending ? (
        <Skeleton lines={3} height={20} />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : workflows.length === 0 ? (
        !editing && <EmptyState title="No workflows yet" icon="board">Create one, e.g. “deal moves to Proposal → task ‘Send proposal’ due in 2 days”.</EmptyState>
      ) : (
        <ul className="workflow-list">
          {workflows.map((w) => {
            const def = w.definition as WorkflowDefinition;
            return (
              <li key={w.id} className="workflow-card">
                <div className="workflow-head">
                  <div>
                    <strong>{w.name}</strong> <Badge tone={stateTone[w.state]}>{w.state}</Badge> <span className="muted">version {w.version}</span>
                    <ul className="flow-summary" aria-label={`The flow of ${w.name}`}>
                      {describeWorkflow(def, names).map((line) => <li key={line}>{line}</li>)}
                    </ul>
                  </div>
                  <div className="actions">
                    {w.state === 'active' ? (
                      <Button kind="ghost" onClick={() => change.mutate({ w, to: 'pause' })}>Pause</Button>
                    ) : (
                      <Button kind="ghost" onClick={() => change.mutate({ w, to: 'activate' })}>Activate</Button>
                    )}
                    <Button kind="ghost" onClick={() => setEditing({ id: w.id, name: w.name, definition: def })}>Edit</Button>
                    <Button kind="ghost" aria-expanded={open === w.id} onClick={() => setOpen(open === w.id ? null : w.id)}>Run log</Button>
                  </div>
                </div>
                {open === w.id && <RunLog workflow={w} />}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function WorkflowEditor({ initial, names, onDone }: { initial: { id: string | null; name: string; definition: WorkflowDefinition }; names: Names; onDone: () => void }) {
  const api = useApi();
  const pipelines = usePipelines();
  const members = useMembers();
  const [name, setName] = useState(initial.name);
  const [def, setDef] = useState<WorkflowDefinition>(initial.definition);
  const [problems, setProblems] = useState<string[]>([]);
  const [testId, setTestId] = useState('');
  const [testResult, setTestResult] = useState<components['schemas']['WorkflowTestResult'] | null>(null);
  const kind = recordKindOfTrigger(def.trigger);
  const fields = Object.entries(recordFields[kind]);
  const stages = (pipelines.data ?? []).flatMap((p) => p.stages.map((s) => ({ id: s.id, name: `${p.name} · ${s.name}` })));
  const people = (members.data ?? []).filter((m) => !m.deactivatedAt);

  const save = useSettingsMutation(
    async (activate: boolean) => {
      const body = { name, definition: def };
      const saved = initial.id ? await call(api.PATCH('/workflows/{id}', { params: { path: { id: initial.id } }, body })) : await call(api.POST('/workflows', { body }));
      if (activate && saved.state !== 'active') return call(api.POST('/workflows/{id}/activate', { params: { path: { id: saved.id } } }));
      return saved;
    },
    {
      refresh: [keys.list],
      success: (w) => (w.state === 'active' ? `“${w.name}” is saved and active (version ${w.version})` : `“${w.name}” is saved as a ${w.state} (version ${w.version})`),
      onSuccess: () => onDone(),
    },
  );
  const saveError = save.error as { details?: { path: string; message: string }[] } | null;
  const fieldErrors = saveError?.details && Array.isArray(saveError.details) ? saveError.details.map((d) => `${d.path}: ${d.message}`) : save.error ? [errorMessage(save.error)] : [];

  const setCondition = (i: number, c: Condition) => setDef({ ...def, conditions: { ...def.conditions, conditions: def.conditions.conditions.map((x, j) => (j === i ? c : x)) } });
  const setAction = (i: number, a: Action) => setDef({ ...def, actions: def.actions.map((x, j) => (j === i ? a : x)) });
  const runTest = async () => {
    if (!initial.id) return setProblems(['Save the workflow first, then test it on a record.']);
    try {
      setTestResult(await call(api.POST('/workflows/{id}/test', { params: { path: { id: initial.id } }, body: { recordId: testId.trim() } })));
      setProblems([]);
    } catch (err) {
      setProblems([errorMessage(err)]);
    }
  };

  return (
    <form className="workflow-editor" aria-label={initial.id ? `Edit ${initial.name}` : 'New workflow'} onSubmit={(e) => { e.preventDefault(); save.mutate(false); }}>
      <label className="wf-row">
        <span>Name</span>
        <input aria-label="Workflow name" value={name} placeholder="e.g. Proposal follow-up" onChange={(e) => setName(e.target.value)} />
      </label>
      <fieldset className="wf-block">
        <legend>When</legend>
        <select
          aria-label="Trigger"
          value={def.trigger.type === 'event' ? def.trigger.event : `time:${def.trigger.when}`}
          onChange={(e) => {
            const v = e.target.value;
            const trigger = v.startsWith('time:') ? { type: 'time' as const, when: v.slice(5) as (typeof timeTriggers)[number], days: 7, ...(v === 'time:date_field_in' ? { field: 'expectedCloseDate' } : {}) } : { type: 'event' as const, event: v as (typeof eventTriggers)[number] };
            setDef({ ...def, trigger, conditions: { match: def.conditions.match, conditions: [] } });
          }}
        >
          <optgroup label="Something happens">
            {eventTriggers.map((t) => <option key={t} value={t}>{describeWorkflow({ ...def, trigger: { type: 'event', event: t }, actions: [] })[0]!.replace(/^When /, '')}</option>)}
          </optgroup>
          <optgroup label="Time passes (deals)">
            {timeTriggers.map((t) => <option key={t} value={`time:${t}`}>{t.replaceAll('_', ' ')}</option>)}
          </optgroup>
        </select>
        {def.trigger.type === 'time' && (
          <label className="wf-inline">
            days <input type="number" min={0} aria-label="Days" value={def.trigger.days} onChange={(e) => setDef({ ...def, trigger: { ...(def.trigger as Extract<WorkflowDefinition['trigger'], { type: 'time' }>), days: Number(e.target.value) } })} />
          </label>
        )}
      </fieldset>
      <fieldset className="wf-block">
        <legend>
          If{' '}
          <select aria-label="Match" value={def.conditions.match} onChange={(e) => setDef({ ...def, conditions: { ...def.conditions, match: e.target.value as 'all' | 'any' } })}>
            <option value="all">all of these hold</option>
            <option value="any">any of these holds</option>
          </select>
        </legend>
        {def.conditions.conditions.map((c, i) =>
          'match' in c ? (
            <p key={i} className="muted">A nested group (edit it through the API).</p>
          ) : (
            <div key={i} className="wf-inline" role="group" aria-label={`Condition ${i + 1}`}>
              <select aria-label="Field" value={c.field} onChange={(e) => setCondition(i, { field: e.target.value, op: operatorsByType[fieldOf(kind, e.target.value)?.type ?? 'any'][0] as Condition['op'], value: '' })}>
                {fields.map(([f, info]) => <option key={f} value={f}>{info.label}</option>)}
              </select>
              <select aria-label="Operator" value={c.op} onChange={(e) => setCondition(i, { ...c, op: e.target.value as Condition['op'] })}>
                {(operatorsByType[fieldOf(kind, c.field)?.type ?? 'any'] ?? []).map((op) => <option key={op} value={op}>{opWords[op] ?? op}</option>)}
              </select>
              {!['is_empty', 'is_not_empty'].includes(c.op) &&
                (c.field === 'stageId' ? (
                  <select aria-label="Value" value={String(c.value ?? '')} onChange={(e) => setCondition(i, { ...c, value: e.target.value })}>
                    <option value="">Choose a stage</option>
                    {stages.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
                  </select>
                ) : (
                  <input
                    aria-label="Value"
                    value={Array.isArray(c.value) ? c.value.join(', ') : String(c.value ?? '')}
                    onChange={(e) => {
                      const raw = e.target.value;
                      const type = fieldOf(kind, c.field)?.type;
                      const value = c.op === 'in' || c.op === 'not_in' ? raw.split(',').map((x) => x.trim()).filter(Boolean) : type === 'number' || c.op.endsWith('_days') ? (raw === '' ? '' : Number(raw)) : raw;
                      setCondition(i, { ...c, value });
                    }}
                  />
                ))}
              <Button kind="ghost" type="button" onClick={() => setDef({ ...def, conditions: { ...def.conditions, conditions: def.conditions.conditions.filter((_, j) => j !== i) } })}>Remove</Button>
            </div>
          ),
        )}
        <Button kind="ghost" type="button" icon="plus" onClick={() => setDef({ ...def, conditions: { ...def.conditions, conditions: [...def.conditions.conditions, { field: fields[0]![0], op: operatorsByType[fields[0]![1].type][0] as Condition['op'], value: '' }] } })}>Add a condition</Button>
      </fieldset>
      <fieldset className="wf-block">
        <legend>Then</legend>
        {def.actions.map((a, i) => (
          <div key={i} className="wf-inline" role="group" aria-label={`Action ${i + 1}`}>
            <span className="wf-step">{i + 1}.</span>
            <select aria-label="Action" value={a.type} onChange={(e) => setAction(i, newAction(e.target.value as Action['type'], kind))}>
              {(['create_task', 'assign_owner', 'update_field', 'move_stage', 'add_tag', 'remove_tag', 'send_webhook', 'wait', 'stop_unless'] as const).map((t) => <option key={t} value={t}>{t.replaceAll('_', ' ')}</option>)}
            </select>
            <ActionFields action={a} onChange={(next) => setAction(i, next)} stages={stages} people={people.map((m) => ({ id: m.userId, name: m.name }))} />
            {def.actions.length > 1 && <Button kind="ghost" type="button" onClick={() => setDef({ ...def, actions: def.actions.filter((_, j) => j !== i) })}>Remove</Button>}
          </div>
        ))}
        <Button kind="ghost" type="button" icon="plus" onClick={() => setDef({ ...def, actions: [...def.actions, newAction('create_task', kind)] })}>Add an action</Button>
      </fieldset>
      <div className="wf-preview" aria-label="The whole flow">
        <strong>The whole flow</strong>
        <ul className="flow-summary">{describeWorkflow(def, names).map((line) => <li key={line}>{line}</li>)}</ul>
      </div>
      {(fieldErrors.length > 0 || problems.length > 0) && (
        <ul className="wf-errors" role="alert">
          {[...fieldErrors, ...problems].map((p) => <li key={p}>{p}</li>)}
        </ul>
      )}
      {initial.id && (
        <div className="wf-inline">
          <input aria-label="Record id to test on" placeholder="A deal or contact id" value={testId} onChange={(e) => setTestId(e.target.value)} />
          <Button type="button" kind="ghost" onClick={() => void runTest()}>Test on this record</Button>
        </div>
      )}
      {testResult && (
        <div className="wf-preview" aria-label="Dry run">
          <strong>{testResult.conditionsMet ? 'It would run:' : 'It would not run.'}</strong>
          <ul>{[...testResult.explanation, ...testResult.actions.map((x) => `${x.index + 1}. ${x.wouldDo}`), testResult.note].map((l) => <li key={l}>{l}</li>)}</ul>
        </div>
      )}
      <div className="wf-buttons">
        <Button kind="primary" type="submit" busy={save.isPending && save.variables === false} disabled={!name.trim()}>Save</Button>
        <Button type="button" busy={save.isPending && save.variables === true} disabled={!name.trim()} onClick={() => save.mutate(true)}>Save and activate</Button>
        <Button kind="ghost" type="button" onClick={onDone}>Cancel</Button>
      </div>
    </form>
  );
}

function newAction(type: Action['type'], kind: string): Action {
  switch (type) {
    case 'create_task': return { type, subject: '', dueInDays: 2, assignee: 'record_owner' };
    case 'assign_owner': return { type, userId: '' };
    case 'update_field': return { type, field: kind === 'contact' ? 'title' : 'probability', value: '' };
    case 'move_stage': return { type, stageId: '' };
    case 'add_tag': case 'remove_tag': return { type, tag: '' };
    case 'send_webhook': return { type, endpointId: '', event: 'notify' };
    case 'wait': return { type, days: 1 };
    case 'stop_unless': return { type, conditions: { match: 'all', conditions: [] } };
  }
}

function ActionFields({ action: a, onChange, stages, people }: { action: Action; onChange: (a: Action) => void; stages: { id: string; name: string }[]; people: { id: string; name: string }[] }) {
  switch (a.type) {
    case 'create_task':
      return (
        <>
          <input aria-label="Task subject" placeholder="Task subject" value={a.subject} onChange={(e) => onChange({ ...a, subject: e.target.value })} />
          <label className="wf-inline">due in <input type="number" min={0} aria-label="Due in days" value={a.dueInDays ?? ''} onChange={(e) => onChange({ ...a, dueInDays: e.target.value === '' ? undefined : Number(e.target.value) })} /> days</label>
          <select aria-label="Assignee" value={a.assignee === 'record_owner' ? '' : a.assignee.userId} onChange={(e) => onChange({ ...a, assignee: e.target.value ? { userId: e.target.value } : 'record_owner' })}>
            <option value="">for the record’s owner</option>
            {people.map((p) => <option key={p.id} value={p.id}>for {p.name}</option>)}
          </select>
        </>
      );
    case 'assign_owner':
      return (
        <select aria-label="New owner" value={a.userId} onChange={(e) => onChange({ ...a, userId: e.target.value })}>
          <option value="">Choose a member</option>
          {people.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
        </select>
      );
    case 'update_field':
      return (
        <>
          <input aria-label="Field" value={a.field} onChange={(e) => onChange({ ...a, field: e.target.value })} />
          <input aria-label="New value" value={String(a.value ?? '')} onChange={(e) => onChange({ ...a, value: e.target.value !== '' && !Number.isNaN(Number(e.target.value)) ? Number(e.target.value) : e.target.value })} />
        </>
      );
    case 'move_stage':
      return (
        <select aria-label="Stage" value={a.stageId} onChange={(e) => onChange({ ...a, stageId: e.target.value })}>
          <option value="">Choose a stage</option>
          {stages.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
        </select>
      );
    case 'add_tag':
    case 'remove_tag':
      return <input aria-label="Tag" value={a.tag} onChange={(e) => onChange({ ...a, tag: e.target.value })} />;
    case 'send_webhook':
      return (
        <>
          <input aria-label="Webhook endpoint id" placeholder="Endpoint id (Settings → Webhooks)" value={a.endpointId} onChange={(e) => onChange({ ...a, endpointId: e.target.value })} />
          <input aria-label="Event name" value={a.event} onChange={(e) => onChange({ ...a, event: e.target.value })} />
        </>
      );
    case 'wait':
      return (
        <>
          <input type="number" min={0} aria-label="Days" value={a.days ?? ''} onChange={(e) => onChange({ ...a, days: e.target.value === '' ? undefined : Number(e.target.value) })} /> days
          <input type="number" min={0} aria-label="Hours" value={a.hours ?? ''} onChange={(e) => onChange({ ...a, hours: e.target.value === '' ? undefined : Number(e.target.value) })} /> hours
        </>
      );
    case 'stop_unless':
      return <span className="muted">unless the workflow’s conditions still hold</span>;
  }
}

function RunLog({ workflow }: { workflow: Workflow }) {
  const api = useApi();
  const [status, setStatus] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const runs = useQuery({
    queryKey: keys.runs(workflow.id, status),
    queryFn: async () => (await call(api.GET('/workflows/{id}/runs', { params: { path: { id: workflow.id }, query: { limit: 50, ...(status ? { status: status as Run['status'] } : {}) } } }))).data,
    refetchInterval: 5000,
  });
  const replay = useSettingsMutation(() => call(api.POST('/workflows/{id}/runs/replay', { params: { path: { id: workflow.id } }, body: {} })), {
    refresh: [['workflows', workflow.id]],
    success: (r) => (r.replayed.length ? `${r.replayed.length} failed run(s) will go on from the step that failed within a minute` : 'No failed runs to replay'),
  });
  return (
    <div className="run-log">
      <div className="wf-inline">
        <select aria-label="Run status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">All runs</option>
          {Object.keys(runTone).map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <Button kind="ghost" onClick={() => replay.mutate(undefined)}>Replay failed runs</Button>
      </div>
      {runs.isPending ? (
        <Skeleton lines={3} height={18} />
      ) : runs.isError ? (
        <ErrorState error={runs.error} retry={() => void runs.refetch()} />
      ) : runs.data.length === 0 ? (
        <p className="muted">No runs yet.</p>
      ) : (
        <table className="settings-table" aria-label={`Runs of ${workflow.name}`}>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Trigger</th>
              <th scope="col">Record</th>
              <th scope="col">Version</th>
              <th scope="col">Status</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.map((r) => (
              <RunRow key={r.id} run={r} workflowId={workflow.id} open={open === r.id} onToggle={() => setOpen(open === r.id ? null : r.id)} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function RunRow({ run: r, workflowId, open, onToggle }: { run: Run; workflowId: string; open: boolean; onToggle: () => void }) {
  const api = useApi();
  const detail = useQuery({ queryKey: ['workflows', workflowId, 'run', r.id], enabled: open, queryFn: () => call(api.GET('/workflows/{id}/runs/{runId}', { params: { path: { id: workflowId, runId: r.id } } })) });
  return (
    <>
      <tr>
        <td><button type="button" className="link-button" aria-expanded={open} onClick={onToggle}>{dateTime(r.createdAt)}</button></td>
        <td><code>{r.eventType}</code></td>
        <td><a href={r.recordType === 'deal' ? `/app/deals/${r.recordId}` : r.recordType === 'contact' ? `/app/contacts/${r.recordId}` : '#'}>{r.recordType}</a></td>
        <td>v{r.version}</td>
        <td><Badge tone={runTone[r.status]}>{r.status}</Badge></td>
        <td className="muted">{r.reason ?? ''}</td>
      </tr>
      {open && (
        <tr>
          <td colSpan={6}>
            {detail.data ? (
              <ol className="run-steps">
                {(detail.data.steps ?? []).map((s) => (
                  <li key={`${s.stepIndex}-${s.attempt}`} className={s.status}>
                    Step {s.stepIndex + 1} <code>{s.actionType}</code>, attempt {s.attempt}: <strong>{s.status}</strong> at {dateTime(s.at)}
                    {s.error ? <div className="wf-error-text">{s.error}</div> : <div className="muted"><code>{JSON.stringify(s.result)}</code></div>}
                  </li>
                ))}
              </ol>
            ) : (
              <Skeleton lines={2} height={16} />
            )}
          </td>
        </tr>
      )}
    </>
  );
}
