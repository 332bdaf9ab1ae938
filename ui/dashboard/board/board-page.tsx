// The pipeline page: filters (in the URL), the board or the table of the same deals, quick edit,
// bulk actions on selected deals, the lost reason asked on a drop on a lost stage, and the deal
// open in a drawer over it (?deal=…), so a filtered board with a deal open can be shared as a link.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState, type FormEvent } from 'react';
import { useLocation, useSearch } from 'wouter';
import { activeFilterCount } from '../../../core/deals/filters.ts';
import type { DealFilters } from '../../../core/schemas/deal-filters.ts';
import { call, download, errorMessage, useApi } from '../api.ts';
import { DealDrawer } from '../deals/deal-page.tsx';
import { count, money, parseMoney } from '../format.ts';
import { keys, useMembers, usePipelines, useTeams } from '../queries.ts';
import { useSession } from '../session.tsx';
import { Icon } from '../shell/icons.tsx';
import { Badge, Button, Dialog, EmptyState, ErrorState, Field, PageHeader, Skeleton, useToast } from '../shell/ui.tsx';
import type { BoardDeal, DealBoard, Stage } from '../types.ts';
import type { BoardQueryMeta } from './board-cache.ts';
import { filtersQuery, readBoardView, writeBoardView, type BoardView } from './board-filters.ts';
import { loadedCards, openTotals, withPage, type CardSort } from './board-model.ts';
import { DealTable } from './deal-table.tsx';
import { useBulkDeals, useMoveDeal, useUpdateDeal } from './deal-mutations.ts';
import { LostReasonDialog } from './lost-reason-dialog.tsx';
import { PipelineBoard, SHOW_MORE } from './pipeline-board.tsx';

export function useBoardView(): [BoardView, (next: BoardView, replace?: boolean) => void] {
  const search = useSearch();
  const [, navigate] = useLocation();
  const view = useMemo(() => readBoardView(new URLSearchParams(search)), [search]);
  const setView = useCallback(
    (next: BoardView, replace = false) => {
      const query = writeBoardView(next).toString();
      navigate(`/board${query ? `?${query}` : ''}`, { replace });
    },
    [navigate],
  );
  return [view, setView];
}

/**
 * The board of a view: each column's counts, totals and first cards in the view's sort. The page's
 * query, also asked for at start while the session is checked (main.tsx).
 */
export const boardQueryOptions = (api: ReturnType<typeof useApi>, view: BoardView) => ({
  queryKey: keys.board(view.pipelineId, view.filters, view.sort),
  queryFn: () => call(api.GET('/deals/board', { params: { query: { ...filtersQuery(view), sort: view.sort } } })),
  meta: {
    fetchTotals: () => call(api.GET('/deals/board', { params: { query: { ...filtersQuery(view), sort: view.sort, perColumn: 0 } } })),
  } satisfies BoardQueryMeta,
});

/** The deal table shows at most this many deals (the API's BOARD_LIMIT); the CSV export has them all. */
const TABLE_LIMIT = 5000;

export function BoardPage() {
  const api = useApi();
  const [view, setView] = useBoardView();
  const { canWrite, seesTeam } = useSession();
  const toast = useToast();
  const pipelines = usePipelines();
  const members = useMembers();
  const query = filtersQuery(view);
  const queryClient = useQueryClient();
  const boardOptions = boardQueryOptions(api, view);
  const board = useQuery({
    ...boardOptions,
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === (view.pipelineId ?? 'default') ? previous : undefined),
  });
  // The table lists every matching deal (sorted here by any column): asked for only when shown.
  const table = useQuery({
    queryKey: keys.boardTable(view.pipelineId, view.filters),
    queryFn: () => call(api.GET('/deals/board/cards', { params: { query: { ...query, limit: TABLE_LIMIT } } })),
    enabled: view.view === 'table',
  });
  const [loadingMore, setLoadingMore] = useState<ReadonlySet<string>>(() => new Set());
  // Read when "Show more" is pressed, so the callback stays one function and the columns are not redrawn for it.
  const current = useRef({ key: boardOptions.queryKey as readonly unknown[], query: { ...query, sort: view.sort } });
  current.current = { key: boardOptions.queryKey, query: { ...query, sort: view.sort } };
  const onShowMore = useCallback(async (stageId: string) => {
    const { key: boardKey, query: boardQuery } = current.current;
    const column = queryClient.getQueryData<DealBoard>(boardKey)?.columns.find((c) => c.stageId === stageId);
    if (!column?.next) return;
    setLoadingMore((s) => new Set(s).add(stageId));
    try {
      const page = await call(api.GET('/deals/board/cards', { params: { query: { ...boardQuery, stage: stageId, after: column.next, limit: SHOW_MORE } } }));
      queryClient.setQueryData<DealBoard>(boardKey, (b) => (b ? withPage(b, stageId, page) : b));
    } catch (err) {
      toast(`More deals could not be loaded: ${errorMessage(err)}`, 'error');
    } finally {
      setLoadingMore((s) => {
        const next = new Set(s);
        next.delete(stageId);
        return next;
      });
    }
  }, [api, queryClient, toast]);
  const move = useMoveDeal();
  const update = useUpdateDeal();
  const bulk = useBulkDeals();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState<BoardDeal | null>(null);
  const [losing, setLosing] = useState<{ deals: BoardDeal[]; stage: Stage } | null>(null);

  const dealHref = useCallback((id: string) => `/board?${writeBoardView({ ...view, dealId: id }).toString()}`, [view]);
  const onToggleSelect = useCallback((id: string) => setSelected((s) => {
    const next = new Set(s);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  }), []);
  const onMove = useCallback((deal: BoardDeal, stage: Stage) => {
    if (stage.isLost) setLosing({ deals: [deal], stage });
    else move.mutate({ deal, stage });
  }, [move]);

  const data = board.data;
  const stages = data?.pipeline.stages ?? [];
  const shownDeals = useMemo(() => (view.view === 'table' ? table.data?.deals ?? [] : data ? loadedCards(data) : []), [view.view, table.data, data]);
  const selectedDeals = shownDeals.filter((d) => selected.has(d.id));

  const exportCsv = async () => {
    try {
      // The audited, streamed export (api/modules/exports): same filters, the table's columns and more.
      const csv = await call(api.GET('/exports/deals.csv', { params: { query: { ...query, status: 'all', closedSince: data?.closedSince } }, parseAs: 'text' }));
      download(csv as unknown as string, `deals-${new Date().toISOString().slice(0, 10)}.csv`);
    } catch (err) {
      toast(`The export failed: ${errorMessage(err)}`, 'error');
    }
  };

  return (
    <div className="page page-board">
      <PageHeader
        title={
          pipelines.data && pipelines.data.length > 1 ? (
            <label className="pipeline-pick">
              <span className="sr-only">Pipeline</span>
              <select value={data?.pipeline.id ?? view.pipelineId ?? ''} onChange={(e) => setView({ ...view, pipelineId: e.target.value, filters: { ...view.filters, stage: undefined } })}>
                {pipelines.data.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
              </select>
            </label>
          ) : (data?.pipeline.name ?? 'Pipeline')
        }
        subtitle={data ? <BoardSummary board={data} seesTeam={seesTeam} /> : 'Loading the pipeline…'}
        actions={
          <>
            <div className="segmented" role="group" aria-label="View">
              <button type="button" className={view.view === 'board' ? 'active' : ''} aria-pressed={view.view === 'board'} onClick={() => setView({ ...view, view: 'board' })}>
                <Icon name="columns" size={16} /> Board
              </button>
              <button type="button" className={view.view === 'table' ? 'active' : ''} aria-pressed={view.view === 'table'} onClick={() => setView({ ...view, view: 'table' })}>
                <Icon name="table" size={16} /> Table
              </button>
            </div>
            <Button icon="download" onClick={() => void exportCsv()} disabled={!data}>Export CSV</Button>
          </>
        }
      />
      <FilterBar view={view} setView={setView} stages={stages} seesTeam={seesTeam} />
      {selectedDeals.length > 0 && canWrite && (
        <BulkBar
          deals={selectedDeals}
          stages={stages}
          busy={bulk.isPending}
          onClear={() => setSelected(new Set())}
          onReassign={(ownerId) => bulk.mutate({ action: 'reassign', dealIds: selectedDeals.map((d) => d.id), ownerId }, { onSuccess: () => setSelected(new Set()) })}
          onMove={(stage) => {
            if (stage.isLost) setLosing({ deals: selectedDeals, stage });
            else bulk.mutate({ action: 'move', dealIds: selectedDeals.map((d) => d.id), stage: stage.id }, { onSuccess: () => setSelected(new Set()) });
          }}
          onDelete={() => bulk.mutate({ action: 'delete', dealIds: selectedDeals.map((d) => d.id) }, { onSuccess: () => setSelected(new Set()) })}
        />
      )}
      {board.isError && !data ? (
        <ErrorState error={board.error} retry={() => void board.refetch()} />
      ) : !data ? (
        <div className="board-columns" aria-busy="true">
          {Array.from({ length: 5 }, (_, i) => <div key={i} className="column column-skeleton"><Skeleton lines={6} height={64} /></div>)}
        </div>
      ) : data.columns.every((c) => c.count === 0) ? (
        <EmptyState
          title={activeFilterCount(view.filters) > 0 || view.filters.q ? 'No deals match these filters' : 'No deals in this pipeline yet'}
          action={activeFilterCount(view.filters) > 0 || view.filters.q ? <Button onClick={() => setView({ ...view, filters: {} })}>Clear filters</Button> : undefined}
        >
          {activeFilterCount(view.filters) > 0 || view.filters.q ? 'Widen or clear the filters to see more deals.' : 'Deals created from the Gmail or Outlook sidebar, or through the API, show here as they are made.'}
        </EmptyState>
      ) : view.view === 'table' ? (
        table.isError && !table.data ? (
          <ErrorState error={table.error} retry={() => void table.refetch()} />
        ) : !table.data ? (
          <div className="table-wrap" aria-busy="true"><Skeleton lines={10} height={36} /></div>
        ) : (
        <>
        {table.data.next !== null && <div className="banner banner-warning" role="status"><Icon name="warning" />More deals match than the table shows ({count(TABLE_LIMIT, 'deal')}); narrow the filters, or export them all as CSV.</div>}
        <DealTable
          deals={table.data.deals}
          stages={stages}
          sort={view.tableSort}
          onSort={(tableSort) => setView({ ...view, tableSort }, true)}
          selected={selected}
          onToggleSelect={onToggleSelect}
          onSelectAll={(ids) => setSelected(new Set(ids))}
          dealHref={dealHref}
        />
        </>
        )
      ) : (
        <PipelineBoard board={data} selected={selected} loadingMore={loadingMore} dealHref={dealHref} onToggleSelect={onToggleSelect} onQuickEdit={setEditing} onMove={onMove} onShowMore={onShowMore} />
      )}
      {editing && (
        <QuickEdit
          deal={editing}
          members={members.data ?? []}
          busy={update.isPending}
          onClose={() => setEditing(null)}
          onSave={(patch) => update.mutate({ id: editing.id, patch }, { onSuccess: () => setEditing(null) })}
          error={update.error}
        />
      )}
      {losing && (
        <LostReasonDialog
          names={losing.deals.map((d) => d.name)}
          stage={losing.stage}
          onClose={() => setLosing(null)}
          onConfirm={(lostReason) => {
            const { deals, stage } = losing;
            setLosing(null);
            if (deals.length === 1) move.mutate({ deal: deals[0]!, stage, lostReason });
            else bulk.mutate({ action: 'move', dealIds: deals.map((d) => d.id), stage: stage.id, lostReason }, { onSuccess: () => setSelected(new Set()) });
          }}
        />
      )}
      {view.dealId && <DealDrawer id={view.dealId} onClose={() => setView({ ...view, dealId: undefined })} />}
    </div>
  );
}

function BoardSummary({ board, seesTeam }: { board: DealBoard; seesTeam: boolean }) {
  const open = openTotals(board);
  return (
    <>
      {count(open.count, 'open deal')} · {money(open.valueCents, open.currency)} total · {money(open.weightedCents, open.currency)} weighted
      {!seesTeam && ' · your deals'}
    </>
  );
}

const riskNames = { low: 'Low', medium: 'Medium', high: 'High' } as const;

function FilterBar({ view, setView, stages, seesTeam }: { view: BoardView; setView: (v: BoardView, replace?: boolean) => void; stages: Stage[]; seesTeam: boolean }) {
  const members = useMembers();
  const teams = useTeams();
  const f = view.filters;
  const [open, setOpen] = useState(activeFilterCount(f) > 0);
  const [q, setQ] = useState(f.q ?? '');
  const set = (patch: Partial<DealFilters>) => setView({ ...view, filters: { ...f, ...patch } }, true);
  const n = activeFilterCount(f);
  const search = (e: FormEvent) => {
    e.preventDefault();
    set({ q: q.trim() || undefined });
  };
  return (
    <section className="filters" aria-label="Filters">
      <div className="filters-row">
        <form className="search" onSubmit={search} role="search">
          <Icon name="search" size={16} />
          <input type="search" aria-label="Search deals by name" placeholder="Search deals…" value={q} onChange={(e) => setQ(e.target.value)} onBlur={() => (q.trim() || undefined) !== f.q && set({ q: q.trim() || undefined })} />
        </form>
        {seesTeam && (
          <select aria-label="Owner" value={f.ownerId ?? ''} onChange={(e) => set({ ownerId: e.target.value || undefined })}>
            <option value="">Everyone</option>
            {(members.data ?? []).filter((m) => !m.deactivatedAt).map((m) => <option key={m.userId} value={m.userId}>{m.name}</option>)}
          </select>
        )}
        <select aria-label="Risk" value={f.risk ?? ''} onChange={(e) => set({ risk: (e.target.value || undefined) as DealFilters['risk'] })}>
          <option value="">Any risk</option>
          {(['high', 'medium', 'low'] as const).map((r) => <option key={r} value={r}>{riskNames[r]} risk</option>)}
        </select>
        {view.view === 'board' && <select aria-label="Sort cards by" value={view.sort} onChange={(e) => setView({ ...view, sort: e.target.value as CardSort }, true)}>
          <option value="close">Sort: close date</option>
          <option value="value">Sort: value</option>
          <option value="risk">Sort: risk</option>
          <option value="age">Sort: days in stage</option>
          <option value="name">Sort: name</option>
        </select>}
        <Button icon="filter" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          More filters{n > 0 && <Badge tone="info">{n}</Badge>}
        </Button>
        {(n > 0 || f.q) && <Button kind="ghost" onClick={() => { setQ(''); setView({ ...view, filters: {} }, true); }}>Clear all</Button>}
      </div>
      {open && (
        <div className="filters-more">
          {seesTeam && (
            <label>Team
              <select value={f.teamId ?? ''} onChange={(e) => set({ teamId: e.target.value || undefined })}>
                <option value="">Any team</option>
                {(teams.data ?? []).map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
              </select>
            </label>
          )}
          <label>Stage
            <select value={f.stage ?? ''} onChange={(e) => set({ stage: e.target.value || undefined })}>
              <option value="">Any stage</option>
              {stages.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
            </select>
          </label>
          <NumberRange label="Probability %" min={f.minProbability} max={f.maxProbability} onChange={(a, b) => set({ minProbability: a, maxProbability: b })} limit={100} />
          <NumberRange label="Value ($)" min={f.minValueCents === undefined ? undefined : f.minValueCents / 100} max={f.maxValueCents === undefined ? undefined : f.maxValueCents / 100} onChange={(a, b) => set({ minValueCents: a === undefined ? undefined : a * 100, maxValueCents: b === undefined ? undefined : b * 100 })} />
          <label>Closes from
            <input type="date" value={f.closeFrom ?? ''} onChange={(e) => set({ closeFrom: e.target.value || undefined })} />
          </label>
          <label>Closes by
            <input type="date" value={f.closeTo ?? ''} onChange={(e) => set({ closeTo: e.target.value || undefined })} />
          </label>
          <label>Source
            <input type="text" defaultValue={f.source ?? ''} placeholder="e.g. referral" onBlur={(e) => set({ source: e.target.value.trim() || undefined })} onKeyDown={(e) => e.key === 'Enter' && set({ source: e.currentTarget.value.trim() || undefined })} />
          </label>
        </div>
      )}
    </section>
  );
}

function NumberRange({ label, min, max, onChange, limit }: { label: string; min?: number; max?: number; onChange: (min?: number, max?: number) => void; limit?: number }) {
  const read = (v: string) => {
    if (v.trim() === '') return undefined;
    const n = Math.round(Number(v));
    return Number.isFinite(n) && n >= 0 && (limit === undefined || n <= limit) ? n : undefined;
  };
  return (
    <fieldset className="range">
      <legend>{label}</legend>
      <input type="number" min={0} max={limit} aria-label={`${label} from`} placeholder="min" defaultValue={min ?? ''} onBlur={(e) => onChange(read(e.target.value), max)} />
      <span aria-hidden="true">–</span>
      <input type="number" min={0} max={limit} aria-label={`${label} to`} placeholder="max" defaultValue={max ?? ''} onBlur={(e) => onChange(min, read(e.target.value))} />
    </fieldset>
  );
}

function BulkBar({ deals, stages, busy, onClear, onReassign, onMove, onDelete }: { deals: BoardDeal[]; stages: Stage[]; busy: boolean; onClear: () => void; onReassign: (ownerId: string) => void; onMove: (stage: Stage) => void; onDelete: () => void }) {
  const members = useMembers();
  const { seesTeam } = useSession();
  const [confirm, setConfirm] = useState(false);
  return (
    <div className="bulk-bar" role="region" aria-label="Selected deals">
      <strong>{count(deals.length, 'deal')} selected</strong>
      {seesTeam && (
        <select aria-label="Reassign selected deals to" value="" disabled={busy} onChange={(e) => e.target.value && onReassign(e.target.value)}>
          <option value="">Reassign to…</option>
          {(members.data ?? []).filter((m) => !m.deactivatedAt && m.role !== 'readonly').map((m) => <option key={m.userId} value={m.userId}>{m.name}</option>)}
        </select>
      )}
      <select aria-label="Move selected deals to" value="" disabled={busy} onChange={(e) => { const s = stages.find((x) => x.id === e.target.value); if (s) onMove(s); }}>
        <option value="">Move to…</option>
        {stages.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
      </select>
      <Button kind="danger" icon="trash" disabled={busy} onClick={() => setConfirm(true)}>Delete</Button>
      <Button kind="ghost" onClick={onClear}>Clear selection</Button>
      <Dialog
        open={confirm}
        title={`Delete ${count(deals.length, 'deal')}?`}
        onClose={() => setConfirm(false)}
        footer={<><Button onClick={() => setConfirm(false)}>Cancel</Button><Button kind="danger" onClick={() => { setConfirm(false); onDelete(); }}>Delete</Button></>}
      >
        <p>An admin can restore them from the trash for 30 days.</p>
      </Dialog>
    </div>
  );
}

function QuickEdit({ deal, members, busy, error, onClose, onSave }: { deal: BoardDeal; members: { userId: string; name: string; role: string; deactivatedAt: string | null }[]; busy: boolean; error: unknown; onClose: () => void; onSave: (patch: { valueCents?: number; expectedCloseDate?: string | null; ownerId?: string }) => void }) {
  const { seesTeam } = useSession();
  const [value, setValue] = useState(String(deal.valueCents / 100));
  const [close, setClose] = useState(deal.expectedCloseDate ?? '');
  const [owner, setOwner] = useState(deal.ownerId ?? '');
  const cents = parseMoney(value);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (cents === null) return;
    const patch: { valueCents?: number; expectedCloseDate?: string | null; ownerId?: string } = {};
    if (cents !== deal.valueCents) patch.valueCents = cents;
    if ((close || null) !== deal.expectedCloseDate) patch.expectedCloseDate = close || null;
    if (owner && owner !== deal.ownerId) patch.ownerId = owner;
    if (Object.keys(patch).length === 0) onClose();
    else onSave(patch);
  };
  return (
    <Dialog open title={`Quick edit: ${deal.name}`} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <Field label={`Value (${deal.currency})`} error={cents === null ? 'Enter an amount, e.g. 12500 or 12.5k' : null}>
          {(id, d) => <input id={id} aria-describedby={d} inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} autoFocus />}
        </Field>
        <Field label="Expected close date">{(id) => <input id={id} type="date" value={close} onChange={(e) => setClose(e.target.value)} />}</Field>
        {seesTeam && (
          <Field label="Owner">
            {(id) => (
              <select id={id} value={owner} onChange={(e) => setOwner(e.target.value)}>
                {!deal.ownerId && <option value="">No owner</option>}
                {members.filter((m) => !m.deactivatedAt && m.role !== 'readonly').map((m) => <option key={m.userId} value={m.userId}>{m.name}</option>)}
              </select>
            )}
          </Field>
        )}
        {error ? <div className="form-error" role="alert">{errorMessage(error)}</div> : null}
        <div className="dialog-footer">
          <Button onClick={onClose}>Cancel</Button>
          <Button kind="primary" type="submit" busy={busy} disabled={cents === null}>Save</Button>
        </div>
      </form>
    </Dialog>
  );
}
