// One deal: every field (edited in place), its contacts and company, the risk explanation with its
// reasons, numbers and next action, open tasks, stage history and the timeline. Shown as a drawer
// over the board (?deal=…) or as its own page (/deals/:id); another organization's deal, or one the
// person may not see, is "not found", as the API answers it.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link } from 'wouter';
import { call, isApiError, useApi } from '../api.ts';
import { LostReasonDialog } from '../board/lost-reason-dialog.tsx';
import { useUpdateDeal, type DealPatch } from '../board/deal-mutations.ts';
import { dateTime, day, money, parseMoney, relativeDay } from '../format.ts';
import { keys, useMembers, usePipelines } from '../queries.ts';
import { useSession } from '../session.tsx';
import { Icon, type IconName } from '../shell/icons.tsx';
import { Badge, Button, EmptyState, ErrorState, IconButton, Skeleton } from '../shell/ui.tsx';
import type { Activity, Deal, Stage } from '../types.ts';

export function useDeal(id: string) {
  const api = useApi();
  return useQuery({ queryKey: keys.deal(id), queryFn: () => call(api.GET('/deals/{id}', { params: { path: { id } } })) });
}

export function DealPage({ id }: { id: string }) {
  return (
    <div className="page page-narrow">
      <p className="crumbs"><Link href="/board">Pipeline</Link> <Icon name="chevronRight" size={14} /></p>
      <DealDetail id={id} headingLevel="h1" />
    </div>
  );
}

export function DealDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const ref = useRef<HTMLElement>(null);
  // The board passes a new onClose on every render: kept in a ref so that a board re-render (a live
  // update, a save) does not re-run the effect below and pull focus away from a field being edited.
  const close = useRef(onClose);
  close.current = onClose;
  const opener = useRef<{ element: Element | null; dealId: string }>({ element: null, dealId: id });
  useEffect(() => {
    // What had focus outside the drawer when this deal opened (the card's name, a table row's link)
    // gets it back when the drawer closes, so keyboard users carry on where they were.
    const before = document.activeElement;
    if (before && before !== document.body && !ref.current?.contains(before)) opener.current.element = before;
    opener.current.dealId = id;
    ref.current?.focus();
  }, [id]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && !document.querySelector('dialog[open]') && close.current();
    window.addEventListener('keydown', onKey);
    const remembered = opener.current;
    return () => {
      window.removeEventListener('keydown', onKey);
      // A card that changed column since was drawn anew: then the deal's card (or row) as it is now.
      const target = remembered.element?.isConnected ? remembered.element : document.querySelector(`[data-deal-id="${remembered.dealId}"] a[href]`);
      if (target instanceof HTMLElement) target.focus();
    };
  }, []);
  return (
    <>
      <div className="drawer-backdrop" onClick={() => close.current()} aria-hidden="true" />
      <aside className="drawer" ref={ref} tabIndex={-1} role="dialog" aria-modal="false" aria-label="Deal">
        <div className="drawer-tools">
          <Link href={`/deals/${id}`} className="btn btn-ghost">Open as page</Link>
          <IconButton icon="close" label="Close deal" onClick={() => close.current()} />
        </div>
        <DealDetail id={id} headingLevel="h2" />
      </aside>
    </>
  );
}

function DealDetail({ id, headingLevel }: { id: string; headingLevel: 'h1' | 'h2' }) {
  const deal = useDeal(id);
  if (deal.isPending) return <div className="detail"><Skeleton lines={8} height={18} /></div>;
  if (deal.isError) {
    if (isApiError(deal.error) && (deal.error.code === 'NOT_FOUND' || deal.error.status === 404 || deal.error.code === 'VALIDATION_FAILED')) {
      return <EmptyState icon="board" title="Deal not found" action={<Link href="/board" className="btn btn-secondary">Back to the pipeline</Link>}>It was deleted, or it is not one you can see in this organization.</EmptyState>;
    }
    return <ErrorState error={deal.error} retry={() => void deal.refetch()} />;
  }
  return <DealBody deal={deal.data} headingLevel={headingLevel} />;
}

function DealBody({ deal, headingLevel: H }: { deal: Deal; headingLevel: 'h1' | 'h2' }) {
  const { canChangeDeal, seesTeam } = useSession();
  const editable = canChangeDeal(deal.ownerId);
  const update = useUpdateDeal();
  const pipelines = usePipelines();
  const members = useMembers();
  const pipeline = pipelines.data?.find((p) => p.id === deal.pipelineId);
  const save = (patch: DealPatch) => update.mutateAsync({ id: deal.id, patch });
  const [losing, setLosing] = useState<Stage | null>(null);
  const now = new Date();
  return (
    <div className="detail">
      <header className="detail-head">
        <H className="detail-title">
          <InlineText label="Deal name" value={deal.name} editable={editable} onSave={(name) => save({ name })} />
        </H>
        <div className="detail-sub">
          {deal.outcome === 'won' && <Badge tone="success">Won</Badge>}
          {deal.outcome === 'lost' && <Badge tone="danger">Lost{deal.lostReason ? `: ${deal.lostReason}` : ''}</Badge>}
          {deal.risk && <Badge tone={deal.risk.band}>Risk {deal.risk.score}/100 · {deal.risk.band}</Badge>}
          {!editable && <Badge>Read only</Badge>}
        </div>
      </header>

      <dl className="fields">
        <FieldRow label="Value">
          <InlineText label="Value" value={String(deal.valueCents / 100)} shown={money(deal.valueCents, deal.currency)} editable={editable} inputMode="decimal"
            validate={(v) => (parseMoney(v) === null ? 'Enter an amount, e.g. 12500' : null)} onSave={(v) => save({ valueCents: parseMoney(v)! })} />
        </FieldRow>
        <FieldRow label="Stage">
          {editable && pipeline ? (
            <select aria-label="Stage" value={deal.stage} onChange={(e) => {
              const stage = pipeline.stages.find((s) => s.id === e.target.value);
              if (!stage) return;
              // A lost stage asks why first, as a drop on the board does.
              if (stage.isLost) setLosing(stage);
              else void save({ stage: stage.id });
            }}>
              {pipeline.stages.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
            </select>
          ) : deal.stageInfo.name}
          <span className="muted"> · since {day(deal.stageChangedAt.slice(0, 10), now)}</span>
        </FieldRow>
        <FieldRow label="Probability">
          <InlineText label="Probability" value={String(deal.probability)} shown={`${deal.probability}%`} editable={editable} inputMode="numeric"
            validate={(v) => (/^\d{1,3}$/.test(v.trim()) && Number(v) <= 100 ? null : 'A whole number from 0 to 100')} onSave={(v) => save({ probability: Number(v) })} />
        </FieldRow>
        <FieldRow label="Expected close">
          {editable ? (
            <input type="date" aria-label="Expected close date" defaultValue={deal.expectedCloseDate ?? ''} key={deal.expectedCloseDate ?? ''}
              onBlur={(e) => (e.target.value || null) !== deal.expectedCloseDate && void save({ expectedCloseDate: e.target.value || null })} />
          ) : day(deal.expectedCloseDate, now)}
        </FieldRow>
        <FieldRow label="Owner">
          {editable && seesTeam ? (
            <select aria-label="Owner" value={deal.ownerId ?? ''} onChange={(e) => e.target.value && void save({ ownerId: e.target.value })}>
              {!deal.ownerId && <option value="">No owner</option>}
              {(members.data ?? []).filter((m) => !m.deactivatedAt && m.role !== 'readonly').map((m) => <option key={m.userId} value={m.userId}>{m.name}</option>)}
            </select>
          ) : (deal.owner?.name ?? 'Unassigned')}
        </FieldRow>
        <FieldRow label="Source">{deal.source ?? <span className="muted">—</span>}</FieldRow>
        <FieldRow label="Created">{dateTime(deal.createdAt)}</FieldRow>
        {Object.entries(deal.customFields).map(([k, v]) => <FieldRow key={k} label={k}>{String(v)}</FieldRow>)}
      </dl>

      <RiskSection deal={deal} />
      <div className="detail-grid">
        <PeopleSection deal={deal} />
        <TasksSection dealId={deal.id} />
      </div>
      {losing && (
        <LostReasonDialog names={[deal.name]} stage={losing} onClose={() => setLosing(null)} onConfirm={(lostReason) => { setLosing(null); void save({ stage: losing.id, lostReason }); }} />
      )}
      <HistorySection dealId={deal.id} stageName={(id) => pipeline?.stages.find((s) => s.id === id)?.name ?? 'a removed stage'} />
      <Timeline query={{ dealId: deal.id }} />
    </div>
  );
}

function FieldRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="field-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Text shown as it is; a click (or Enter on it) turns it into an input; Enter or leaving saves, Escape cancels. */
export function InlineText({ label, value, shown, editable, onSave, validate, inputMode }: { label: string; value: string; shown?: ReactNode; editable: boolean; onSave: (v: string) => Promise<unknown>; validate?: (v: string) => string | null; inputMode?: 'decimal' | 'numeric' }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(value);
  const [error, setError] = useState<string | null>(null);
  if (!editable) return <>{shown ?? value}</>;
  if (!editing) {
    return (
      <button type="button" className="inline-edit" onClick={() => { setText(value); setError(null); setEditing(true); }}>
        {shown ?? value}
        <span className="sr-only">, edit {label.toLowerCase()}</span>
        <Icon name="edit" size={13} />
      </button>
    );
  }
  const commit = async () => {
    const problem = validate?.(text) ?? (text.trim() === '' ? 'Cannot be empty' : null);
    if (problem) return setError(problem);
    if (text === value) return setEditing(false);
    try {
      await onSave(text.trim());
      setEditing(false);
    } catch {
      /* the toast says why; the text stays for another try */
    }
  };
  return (
    <span className="inline-input">
      <input aria-label={label} value={text} inputMode={inputMode} autoFocus aria-invalid={!!error} onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') void commit();
          if (e.key === 'Escape') { e.stopPropagation(); setEditing(false); }
        }}
        onBlur={() => void commit()} />
      {error && <span className="field-error" role="alert">{error}</span>}
    </span>
  );
}

function RiskSection({ deal }: { deal: Deal }) {
  const risk = deal.risk;
  if (!risk) return deal.outcome ? null : <section className="panel"><h3>Risk</h3><p className="muted">Not scored yet: the next scoring run will explain it here.</p></section>;
  return (
    <section className="panel" aria-labelledby="risk-h">
      <h3 id="risk-h">Why this deal is at {risk.band} risk <span className={`risk risk-${risk.band}`}>{risk.score}</span></h3>
      {risk.reasons.length === 0 ? <p>No warning sign fired.</p> : (
        <ul className="reasons">
          {risk.reasons.map((r) => (
            <li key={r.code}>
              <span className="reason-weight" aria-label={`${r.weight} points`}>+{r.weight}</span>
              <span>{r.sentence}</span>
            </li>
          ))}
        </ul>
      )}
      {risk.strengths.length > 0 && (
        <ul className="strengths">
          {risk.strengths.map((s) => <li key={s.code}><Icon name="check" size={14} /> {s.sentence}</li>)}
        </ul>
      )}
      <p className="next-action"><strong>Next action:</strong> {risk.nextAction.sentence}</p>
      <p className="muted small">Scored {dateTime(risk.computedAt)}</p>
    </section>
  );
}

function PeopleSection({ deal }: { deal: Deal }) {
  const api = useApi();
  const company = useQuery({
    queryKey: [...keys.companies, deal.companyId],
    enabled: !!deal.companyId,
    queryFn: () => call(api.GET('/companies/{id}', { params: { path: { id: deal.companyId! } } })),
  });
  const contacts = useQuery({
    queryKey: [...keys.contacts, 'of-deal', deal.id, deal.contactIds],
    queryFn: () => Promise.all(deal.contactIds.slice(0, 20).map((id) => call(api.GET('/contacts/{id}', { params: { path: { id } } })).catch(() => null))),
  });
  return (
    <section className="panel">
      <h3>Company and contacts</h3>
      {deal.companyId ? (
        <p><Icon name="companies" size={15} /> <Link href={`/companies/${deal.companyId}`}>{company.data?.name ?? 'Company'}</Link>{company.data?.domain && <span className="muted"> · {company.data.domain}</span>}</p>
      ) : <p className="muted">No company.</p>}
      {deal.contactIds.length === 0 ? <p className="muted">No contacts on this deal yet.</p> : (
        <ul className="plain-list">
          {(contacts.data ?? []).filter((c) => c !== null).map((c) => (
            <li key={c.id}>
              <Link href={`/contacts/${c.id}`}>{[c.firstName, c.lastName].filter(Boolean).join(' ') || c.email}</Link>
              <span className="muted"> · {c.title ? `${c.title} · ` : ''}{c.email}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function TasksSection({ dealId }: { dealId: string }) {
  const api = useApi();
  const tasks = useQuery({ queryKey: [...keys.tasks, 'deal', dealId], queryFn: async () => (await call(api.GET('/tasks', { params: { query: { dealId, status: 'open', limit: 50 } } }))).data });
  const now = new Date().toISOString();
  return (
    <section className="panel">
      <h3>Open tasks</h3>
      {tasks.isPending ? <Skeleton lines={2} /> : tasks.isError ? <ErrorState error={tasks.error} /> : tasks.data.length === 0 ? <p className="muted">No open tasks. Add one from the sidebar next to the thread.</p> : (
        <ul className="plain-list">
          {tasks.data.map((t) => (
            <li key={t.id}>
              <Icon name="task" size={15} /> {t.subject ?? 'Task'}
              {t.dueAt && <span className={t.dueAt < now ? 'overdue' : 'muted'}> · due {relativeDay(t.dueAt)}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function HistorySection({ dealId, stageName }: { dealId: string; stageName: (id: string) => string }) {
  const api = useApi();
  const members = useMembers();
  const history = useQuery({ queryKey: [...keys.deal(dealId), 'history'], queryFn: async () => (await call(api.GET('/deals/{id}/history', { params: { path: { id: dealId } } }))).data });
  const who = (id: string | null) => (id ? members.data?.find((m) => m.userId === id)?.name ?? 'someone' : 'the system');
  return (
    <section className="panel">
      <h3>Stage history</h3>
      {history.isPending ? <Skeleton lines={2} /> : history.isError ? <ErrorState error={history.error} /> : (
        <ol className="history">
          {[...history.data].reverse().map((h, i) => (
            <li key={i}>
              <strong>{h.fromStage ? `${stageName(h.fromStage)} → ${stageName(h.toStage)}` : `Created in ${stageName(h.toStage)}`}</strong>
              <span className="muted"> · {dateTime(h.changedAt)} by {who(h.changedBy)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

const activityIcons: Record<Activity['type'], IconName> = { email: 'mail', call: 'phone', meeting: 'meeting', note: 'note', task: 'task', email_opened: 'eye', email_clicked: 'link' };
const activityNames: Record<Activity['type'], string> = { email: 'Email', call: 'Call', meeting: 'Meeting', note: 'Note', task: 'Task', email_opened: 'Opened', email_clicked: 'Clicked' };

/** A deal's, contact's or company's activities, newest first, a page at a time ("Show older" follows the API's cursor). */
export function Timeline({ query }: { query: { dealId?: string; contactId?: string; companyId?: string } }) {
  const api = useApi();
  const list = useInfiniteQuery({
    queryKey: [...keys.activities, query],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => call(api.GET('/activities', { params: { query: { ...query, limit: TIMELINE_PAGE, cursor: pageParam } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <section className="panel">
      <h3>Timeline</h3>
      {list.isPending ? <Skeleton lines={4} /> : list.isError && items.length === 0 ? <ErrorState error={list.error} /> : items.length === 0 ? <p className="muted">Nothing yet. Emails with this deal's contacts are logged from the inbox as they are sent and received.</p> : (
        <>
          <ol className="timeline">
            {items.map((a) => (
              <li key={a.id} className={`tl tl-${a.type}`}>
                <span className="tl-icon"><Icon name={activityIcons[a.type]} size={15} /></span>
                <div>
                  <div className="tl-head">
                    <strong>{activityNames[a.type]}{a.direction ? ` · ${a.direction === 'inbound' ? 'received' : 'sent'}` : ''}</strong>
                    <span className="muted"> {dateTime(a.occurredAt)}{a.owner ? ` · ${a.owner.name}` : ''}</span>
                  </div>
                  {a.subject && <div className="tl-subject">{a.subject}</div>}
                  {a.body && <p className="tl-body">{a.body.length > 280 ? `${a.body.slice(0, 280)}…` : a.body}</p>}
                </div>
              </li>
            ))}
          </ol>
          {list.isFetchNextPageError && <ErrorState error={list.error} />}
          {list.hasNextPage && (
            <div className="tl-more">
              <Button onClick={() => void list.fetchNextPage()} busy={list.isFetchingNextPage} disabled={list.isFetchingNextPage}>Show older</Button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

const TIMELINE_PAGE = 50;
