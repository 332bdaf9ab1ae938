// Pipelines and stages (admins): create a pipeline (its stages copied from one that exists, or a
// starter set), rename it; add a stage, rename it, set its default probability and whether it
// closes a deal as won or lost, reorder by dragging (dnd-kit, mouse or keyboard: Space to pick up,
// arrows to move, Space to drop), delete a stage no deal has ever been in. Reordering shows at once
// and goes back if the API refuses.
import { closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useEffect, useState, type FormEvent } from 'react';
import { call, useApi } from '../api.ts';
import { keys, usePipelines } from '../queries.ts';
import { Icon } from '../shell/icons.tsx';
import { Badge, Button, ErrorState, Field, IconButton, Skeleton } from '../shell/ui.tsx';
import type { Pipeline, Stage } from '../types.ts';
import { useSettingsMutation } from './settings-data.ts';

type Kind = 'open' | 'won' | 'lost';
const kindOf = (s: Stage): Kind => (s.isWon ? 'won' : s.isLost ? 'lost' : 'open');
const flagsOf = (k: Kind) => ({ isWon: k === 'won', isLost: k === 'lost' });

/** A typed probability: a whole number 0..100, or why not. */
export function parseProbability(text: string): number | string {
  if (!/^\s*\d{1,3}\s*%?\s*$/.test(text)) return 'A whole number from 0 to 100';
  const n = Number(text.replace('%', '').trim());
  return n <= 100 ? n : 'A whole number from 0 to 100';
}

function StageRow({ pipelineId, stage }: { pipelineId: string; stage: Stage }) {
  const api = useApi();
  const { attributes, listeners, setNodeRef, transform, transition, isDragging, setActivatorNodeRef } = useSortable({ id: stage.id });
  const [name, setName] = useState(stage.name);
  const [probability, setProbability] = useState(String(stage.defaultProbability));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setName(stage.name);
    setProbability(String(stage.defaultProbability));
  }, [stage.name, stage.defaultProbability]);
  const patch = useSettingsMutation(
    (body: { name?: string; defaultProbability?: number; isWon?: boolean; isLost?: boolean }) =>
      call(api.PATCH('/pipelines/{id}/stages/{stageId}', { params: { path: { id: pipelineId, stageId: stage.id } }, body })),
    { refresh: [keys.pipelines, keys.boardAll], success: () => `${stage.name} saved` },
  );
  const remove = useSettingsMutation(() => call(api.DELETE('/pipelines/{id}/stages/{stageId}', { params: { path: { id: pipelineId, stageId: stage.id } } })), {
    refresh: [keys.pipelines, keys.boardAll],
    success: () => `${stage.name} was deleted`,
  });
  const dirty = name.trim() !== stage.name || probability.trim() !== String(stage.defaultProbability);
  const save = (e: FormEvent) => {
    e.preventDefault();
    const p = parseProbability(probability);
    if (!name.trim()) return setError('A stage needs a name');
    if (typeof p === 'string') return setError(`Probability: ${p}`);
    setError(null);
    patch.mutate({ ...(name.trim() !== stage.name ? { name: name.trim() } : {}), ...(p !== stage.defaultProbability ? { defaultProbability: p } : {}) });
  };
  return (
    <li ref={setNodeRef} className={`stage-row${isDragging ? ' dragging' : ''}`} style={{ transform: CSS.Transform.toString(transform), transition }}>
      <button type="button" className="drag-handle" ref={setActivatorNodeRef} {...attributes} {...listeners} aria-label={`Move ${stage.name}`}>
        <Icon name="grip" size={16} />
      </button>
      <form className="stage-form" onSubmit={save} aria-label={`Stage ${stage.name}`}>
        <input className="stage-name" aria-label="Stage name" value={name} onChange={(e) => setName(e.target.value)} />
        <label className="stage-prob">
          <input aria-label={`Default probability of ${stage.name} (%)`} inputMode="numeric" value={probability} aria-invalid={!!error || undefined} onChange={(e) => setProbability(e.target.value)} />
          <span aria-hidden="true">%</span>
        </label>
        <select aria-label={`What ${stage.name} means`} value={kindOf(stage)} disabled={patch.isPending} onChange={(e) => patch.mutate(flagsOf(e.target.value as Kind))}>
          <option value="open">Open</option>
          <option value="won">Closes as won</option>
          <option value="lost">Closes as lost</option>
        </select>
        {dirty ? <Button kind="primary" type="submit" busy={patch.isPending}>Save</Button> : <span className="stage-kind">{stage.isWon ? <Badge tone="success">Won</Badge> : stage.isLost ? <Badge tone="danger">Lost</Badge> : null}</span>}
        <IconButton icon="trash" label={`Delete ${stage.name}`} disabled={remove.isPending} onClick={() => remove.mutate(undefined)} />
      </form>
      {error && <p className="field-error stage-error" role="alert">{error}</p>}
    </li>
  );
}

function AddStage({ pipelineId }: { pipelineId: string }) {
  const api = useApi();
  const [name, setName] = useState('');
  const [probability, setProbability] = useState('20');
  const [kind, setKind] = useState<Kind>('open');
  const [error, setError] = useState<string | null>(null);
  const add = useSettingsMutation(
    (body: { name: string; defaultProbability: number; isWon: boolean; isLost: boolean }) => call(api.POST('/pipelines/{id}/stages', { params: { path: { id: pipelineId } }, body })),
    { refresh: [keys.pipelines, keys.boardAll], success: (_r, b) => `${b.name} added`, onSuccess: () => setName('') },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = parseProbability(probability);
    if (!name.trim()) return setError('Give the stage a name');
    if (typeof p === 'string') return setError(`Probability: ${p}`);
    setError(null);
    add.mutate({ name: name.trim(), defaultProbability: p, ...flagsOf(kind) });
  };
  return (
    <form className="inline-form add-stage" onSubmit={submit} aria-label="Add a stage" noValidate>
      <Field label="New stage" error={error}>
        {(id, d) => <input id={id} placeholder="e.g. Demo scheduled" value={name} aria-describedby={d} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Default probability (%)">
        {(id) => <input id={id} inputMode="numeric" className="narrow" value={probability} onChange={(e) => setProbability(e.target.value)} />}
      </Field>
      <Field label="Kind">
        {(id) => (
          <select id={id} value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            <option value="open">Open</option>
            <option value="won">Closes as won</option>
            <option value="lost">Closes as lost</option>
          </select>
        )}
      </Field>
      <Button kind="primary" type="submit" icon="plus" busy={add.isPending}>Add stage</Button>
    </form>
  );
}

/** The pipeline's name, edited in place: Save appears once it differs. */
function PipelineName({ pipeline }: { pipeline: Pipeline }) {
  const api = useApi();
  const [name, setName] = useState(pipeline.name);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setName(pipeline.name), [pipeline.name]);
  const rename = useSettingsMutation((body: { name: string }) => call(api.PATCH('/pipelines/{id}', { params: { path: { id: pipeline.id } }, body })), {
    refresh: [keys.pipelines, keys.boardAll],
    success: (r) => `Pipeline renamed to ${r.name}`,
  });
  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setError('A pipeline needs a name');
    setError(null);
    rename.mutate({ name: name.trim() });
  };
  return (
    <form className="pipeline-name" onSubmit={save} aria-label={`Pipeline ${pipeline.name}`} noValidate>
      <h3>
        <input aria-label="Pipeline name" value={name} maxLength={100} aria-invalid={!!error || undefined} onChange={(e) => setName(e.target.value)} />
        {pipeline.isDefault && <Badge tone="info">Default</Badge>}
        {name.trim() !== pipeline.name && <Button kind="primary" type="submit" busy={rename.isPending}>Rename</Button>}
      </h3>
      {error && <p className="field-error" role="alert">{error}</p>}
    </form>
  );
}

/** The stages a new pipeline starts with when it copies none: the admin adjusts them afterwards. */
const starterStages = [
  { name: 'Lead', defaultProbability: 10, isWon: false, isLost: false },
  { name: 'Qualified', defaultProbability: 30, isWon: false, isLost: false },
  { name: 'Proposal', defaultProbability: 60, isWon: false, isLost: false },
  { name: 'Won', defaultProbability: 100, isWon: true, isLost: false },
  { name: 'Lost', defaultProbability: 0, isWon: false, isLost: true },
];

function NewPipeline({ pipelines }: { pipelines: Pipeline[] }) {
  const api = useApi();
  const [name, setName] = useState('');
  const [copyFrom, setCopyFrom] = useState(pipelines[0]?.id ?? '');
  const [error, setError] = useState<string | null>(null);
  const create = useSettingsMutation(
    (body: { name: string; stages: typeof starterStages }) => call(api.POST('/pipelines', { body })),
    { refresh: [keys.pipelines], success: (r) => `${r.name} created`, onSuccess: () => setName('') },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setError('Give the pipeline a name');
    setError(null);
    const source = pipelines.find((p) => p.id === copyFrom);
    const stages = source ? source.stages.map(({ name: n, defaultProbability, isWon, isLost }) => ({ name: n, defaultProbability, isWon, isLost })) : starterStages;
    create.mutate({ name: name.trim(), stages });
  };
  return (
    <form className="inline-form new-pipeline" onSubmit={submit} aria-label="Create a pipeline" noValidate>
      <Field label="New pipeline" error={error}>
        {(id, d) => <input id={id} placeholder="e.g. Partnerships" maxLength={100} value={name} aria-describedby={d} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Stages">
        {(id) => (
          <select id={id} value={copyFrom} onChange={(e) => setCopyFrom(e.target.value)}>
            {pipelines.map((p) => <option key={p.id} value={p.id}>Copy the stages of {p.name}</option>)}
            <option value="">Lead, Qualified, Proposal, Won, Lost</option>
          </select>
        )}
      </Field>
      <Button kind="primary" type="submit" icon="plus" busy={create.isPending}>Create pipeline</Button>
    </form>
  );
}

function PipelineEditor({ pipeline }: { pipeline: Pipeline }) {
  const api = useApi();
  const [order, setOrder] = useState(pipeline.stages.map((s) => s.id));
  useEffect(() => setOrder(pipeline.stages.map((s) => s.id)), [pipeline.stages]);
  const reorder = useSettingsMutation((stageIds: string[]) => call(api.PUT('/pipelines/{id}/stage-order', { params: { path: { id: pipeline.id } }, body: { stageIds } })), {
    refresh: [keys.pipelines, keys.boardAll],
    success: () => 'Stage order saved',
  });
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const byId = new Map(pipeline.stages.map((s) => [s.id, s]));
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const before = order;
    const next = arrayMove(order, order.indexOf(String(active.id)), order.indexOf(String(over.id)));
    setOrder(next);
    reorder.mutate(next, { onError: () => setOrder(before) });
  };
  const name = (id: string | number) => byId.get(String(id))?.name ?? 'stage';
  return (
    <div className="pipeline-editor">
      <PipelineName pipeline={pipeline} />
      <DndContext
        sensors={sensors}
        collisionDetection={closestCenter}
        onDragEnd={onDragEnd}
        accessibility={{
          announcements: {
            onDragStart: ({ active }) => `Picked up ${name(active.id)}. Use the arrow keys to move it, Space to drop, Escape to cancel.`,
            onDragOver: ({ active, over }) => (over ? `${name(active.id)} is now at position ${order.indexOf(String(over.id)) + 1} of ${order.length}.` : ''),
            onDragEnd: ({ active, over }) => (over ? `${name(active.id)} dropped at position ${order.indexOf(String(over.id)) + 1}.` : `${name(active.id)} dropped.`),
            onDragCancel: ({ active }) => `Moving ${name(active.id)} was cancelled.`,
          },
        }}
      >
        <SortableContext items={order} strategy={verticalListSortingStrategy}>
          <ol className="stage-list" aria-label={`Stages of ${pipeline.name}, in order`}>
            {order.map((id) => {
              const stage = byId.get(id);
              return stage ? <StageRow key={id} pipelineId={pipeline.id} stage={stage} /> : null;
            })}
          </ol>
        </SortableContext>
      </DndContext>
      <AddStage pipelineId={pipeline.id} />
    </div>
  );
}

export function PipelinesSettings() {
  const pipelines = usePipelines();
  return (
    <section className="settings-section" aria-labelledby="pipelines-title">
      <header className="settings-section-header">
        <div>
          <h2 id="pipelines-title">Pipelines and stages</h2>
          <p>Each pipeline is a board of its own. Drag stages by their handle (or focus it and use Space and the arrow keys) to reorder. A deal moved into a stage takes its default probability; a won or lost stage closes it.</p>
        </div>
      </header>
      {pipelines.isPending ? (
        <Skeleton lines={6} height={22} />
      ) : pipelines.isError ? (
        <ErrorState error={pipelines.error} retry={() => void pipelines.refetch()} />
      ) : (
        <>
          {pipelines.data.map((p) => <PipelineEditor key={p.id} pipeline={p} />)}
          <NewPipeline pipelines={pipelines.data} />
        </>
      )}
    </section>
  );
}
