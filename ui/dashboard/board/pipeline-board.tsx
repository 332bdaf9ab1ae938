// The board: one column per stage with its count, total and weighted value; cards dragged between
// columns with the mouse or the keyboard (dnd-kit, with a keyboard sensor that jumps a whole
// column per arrow key and announcements for screen readers). Dropping on a lost stage asks why.
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragStartEvent,
  type KeyboardCoordinateGetter,
} from '@dnd-kit/core';
import { memo, startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { money, moneyShort } from '../format.ts';
import { useSession } from '../session.tsx';
import type { BoardDeal, DealBoard, Stage } from '../types.ts';
import { columnsOf, findCard, movedCard, placeCard, type Column } from './board-model.ts';
import { DealCard, DealCardBody } from './deal-card.tsx';

/** Cards a column's "Show more" adds (the board's first answer has 25 per column). */
export const SHOW_MORE = 100;

/**
 * Cards a column draws in the board's first frame: more than a 900-pixel-high screen shows. The
 * rest of the cards already loaded follow right after, as a transition React may interrupt: drawing
 * 150 cards at once was most of the first render's time (a CPU profile of the bench's load: React
 * creating elements and setting their styles), and none of those below the fold is seen at first.
 */
export const FIRST_FRAME_CARDS = 8;

/** False for the first frame after the board mounts, then true. */
function useAfterFirstFrame(): boolean {
  const [after, setAfter] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => startTransition(() => setAfter(true)));
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer) clearTimeout(timer);
    };
  }, []);
  return after;
}

/** Arrow keys move a picked-up card to the next or previous column, not by pixels. */
const columnJump: KeyboardCoordinateGetter = (event, { context }) => {
  const step = event.code === 'ArrowRight' || event.code === 'ArrowDown' ? 1 : event.code === 'ArrowLeft' || event.code === 'ArrowUp' ? -1 : 0;
  if (step === 0 || !context.collisionRect) return undefined;
  event.preventDefault();
  const columns = context.droppableContainers
    .getEnabled()
    .map((c) => context.droppableRects.get(c.id))
    .filter((r): r is NonNullable<typeof r> => !!r)
    .sort((a, b) => a.left - b.left);
  if (columns.length === 0) return undefined;
  const x = context.collisionRect.left + context.collisionRect.width / 2;
  let current = columns.findIndex((r) => x >= r.left && x <= r.right);
  if (current === -1) current = columns.reduce((best, r, i) => (Math.abs(r.left + r.width / 2 - x) < Math.abs(columns[best]!.left + columns[best]!.width / 2 - x) ? i : best), 0);
  const target = columns[Math.max(0, Math.min(columns.length - 1, current + step))]!;
  return { x: target.left + target.width / 2 - context.collisionRect.width / 2, y: target.top + 56 };
};

// The pointer decides when there is one; the dragged card's box does for the keyboard.
const collision: CollisionDetection = (args) => {
  const hits = pointerWithin(args);
  return hits.length > 0 ? hits : rectIntersection(args);
};

interface ColumnProps {
  column: Column;
  currency: string;
  now: Date;
  selected: ReadonlySet<string>;
  loadingMore: boolean;
  /** Whether the board's first frame is drawn: until then a column draws its first few cards only. */
  drawAll: boolean;
  closedSince: string;
  dealHref: (id: string) => string;
  canMove: (deal: BoardDeal) => boolean;
  onToggleSelect: (id: string) => void;
  onQuickEdit: (deal: BoardDeal) => void;
  onShowMore: (stageId: string) => void;
}

const BoardColumn = memo(function BoardColumn({ column, currency, now, selected, loadingMore, drawAll, closedSince, dealHref, canMove, onToggleSelect, onQuickEdit, onShowMore }: ColumnProps) {
  const { stage } = column;
  const { setNodeRef, isOver } = useDroppable({ id: stage.id, data: { stage } });
  // Cards moved in on this screen may be shown before the page they belong to: not counted twice.
  const rest = column.count - column.deals.length;
  const closed = stage.isWon || stage.isLost;
  const headingId = `column-${stage.id}`;
  return (
    <section ref={setNodeRef} className={`column${isOver ? ' over' : ''}${closed ? ` column-${stage.isWon ? 'won' : 'lost'}` : ''}`} aria-labelledby={headingId} data-stage-id={stage.id}>
      <header className="column-head">
        <div className="column-title">
          <h2 id={headingId}>{stage.name}</h2>
          <span className="column-count" aria-label={`${column.count} deals`}>{column.count}</span>
        </div>
        <div className="column-totals">
          <span title={`Total value: ${money(column.valueCents, currency)}`}>{moneyShort(column.valueCents, currency)}</span>
          {!closed && (
            <span className="muted" title={`Weighted by probability: ${money(column.weightedCents, currency)}`}>
              {moneyShort(column.weightedCents, currency)} weighted
            </span>
          )}
        </div>
        <div className="column-note">
          {closed ? `Closed since ${closedSince.slice(5).replace('-', '/')}` : column.normDays !== null ? `Usually ${Math.round(column.normDays)} days here` : `${stage.defaultProbability}% probability`}
          {column.otherCurrencyDeals > 0 && ` · ${column.otherCurrencyDeals} in other currencies not in totals`}
        </div>
      </header>
      <div className="column-cards">
        {(drawAll ? column.deals : column.deals.slice(0, FIRST_FRAME_CARDS)).map((deal) => (
          <DealCard
            key={deal.id}
            deal={deal}
            stageName={stage.name}
            normDays={column.normDays}
            canMove={canMove(deal)}
            selected={selected.has(deal.id)}
            now={now}
            dealHref={dealHref(deal.id)}
            onToggleSelect={onToggleSelect}
            onQuickEdit={onQuickEdit}
          />
        ))}
        {column.next !== null && rest > 0 && (
          <button type="button" className="show-more" disabled={loadingMore} aria-busy={loadingMore} onClick={() => onShowMore(stage.id)}>
            {loadingMore ? 'Loading…' : `Show ${Math.min(SHOW_MORE, rest)} more of ${rest}`}
          </button>
        )}
        {column.deals.length === 0 && <div className="column-empty">{closed ? 'Drop a deal here to close it' : 'No deals in this stage'}</div>}
      </div>
    </section>
  );
});

export interface PipelineBoardProps {
  board: DealBoard;
  selected: ReadonlySet<string>;
  /** Columns whose next cards are being fetched. */
  loadingMore: ReadonlySet<string>;
  dealHref: (id: string) => string;
  onToggleSelect: (id: string) => void;
  onQuickEdit: (deal: BoardDeal) => void;
  /** A card dropped on another stage (the page asks for a lost reason where needed). */
  onMove: (deal: BoardDeal, stage: Stage) => void;
  /** "Show more" in a column: its next page of cards. */
  onShowMore: (stageId: string) => void;
}

/** The time the cards count days from: a new one each minute, not on every change of the board (which would redraw every card). */
function useMinuteClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * The columns of a changed board, keeping the previous column object where nothing it shows
 * changed (the cache keeps an untouched column's cards as the same array): a drop or a live change
 * then redraws the two columns concerned, not the board.
 */
function useStableColumns(board: DealBoard) {
  const previous = useRef<Map<string, Column>>(new Map());
  return useMemo(() => {
    const { columns, currency } = columnsOf(board);
    const stable = columns.map((column) => {
      const before = previous.current.get(column.stage.id);
      const same =
        before !== undefined &&
        before.stage === column.stage &&
        before.deals === column.deals &&
        before.count === column.count &&
        before.valueCents === column.valueCents &&
        before.weightedCents === column.weightedCents &&
        before.otherCurrencyDeals === column.otherCurrencyDeals &&
        before.normDays === column.normDays &&
        before.next === column.next;
      return same ? before : column;
    });
    previous.current = new Map(stable.map((column) => [column.stage.id, column]));
    return { columns: stable, currency };
  }, [board]);
}

export function PipelineBoard({ board, selected, loadingMore, dealHref, onToggleSelect, onQuickEdit, onMove, onShowMore }: PipelineBoardProps) {
  const { canChangeDeal } = useSession();
  const now = useMinuteClock();
  // A drop is drawn in the same frame as the drag's end: the board as it was at the drop, with the
  // card moved, until the query cache (which tells its readers a task later) has the move itself
  // (or has it undone): then `board` is a new object and this no longer applies.
  const [dropped, setDropped] = useState<{ board: DealBoard; deal: BoardDeal; stage: Stage } | null>(null);
  const shown = useMemo(
    () => (dropped && dropped.board === board ? placeCard(board, dropped.deal.id, movedCard(dropped.deal, dropped.stage, new Date()), { belongs: true, pin: true }).board : board),
    [board, dropped],
  );
  const { columns, currency } = useStableColumns(shown);
  const drawAll = useAfterFirstFrame();
  const [active, setActive] = useState<BoardDeal | null>(null);
  const sensors = useSensors(
    // A click on a card's link or checkbox is not a drag: the pointer must travel first.
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnJump }),
  );
  const stageOf = useCallback((id: string | number | undefined) => board.pipeline.stages.find((s) => s.id === id), [board]);
  const nameOf = (id: string | number) => findCard(board, String(id))?.name ?? 'The deal';
  const announcements: Announcements = {
    onDragStart: ({ active: a }) => `Picked up ${nameOf(a.id)}. Use the arrow keys to choose a stage, Space to drop, Escape to cancel.`,
    onDragOver: ({ active: a, over }) => (over ? `${nameOf(a.id)} is over ${stageOf(over.id)?.name ?? 'a stage'}.` : `${nameOf(a.id)} is not over a stage.`),
    onDragEnd: ({ active: a, over }) => (over ? `${nameOf(a.id)} dropped on ${stageOf(over.id)?.name ?? 'a stage'}.` : `${nameOf(a.id)} put back.`),
    onDragCancel: ({ active: a }) => `Moving ${nameOf(a.id)} was cancelled.`,
  };
  const canMove = useCallback((deal: BoardDeal) => canChangeDeal(deal.ownerId), [canChangeDeal]);

  // A card dropped with the keyboard is a new element in its new column: its handle gets the focus
  // back there (or where it went back to, if the API refused the move), so the keyboard user can go on.
  const refocus = useRef<{ id: string; stageId: string } | null>(null);
  useEffect(() => {
    const want = refocus.current;
    if (!want) return;
    const handle = document.querySelector<HTMLElement>(`section.column article.card[data-deal-id="${want.id}"] .card-handle`);
    if (!handle) return;
    const arrived = handle.closest('section.column')?.getAttribute('data-stage-id') === want.stageId;
    if (arrived || document.activeElement === document.body) handle.focus();
    if (arrived) refocus.current = null;
  }, [columns]);

  const onDragStart = (e: DragStartEvent) => setActive((e.active.data.current?.deal as BoardDeal | undefined) ?? null);
  const onDragEnd = (e: DragEndEvent) => {
    setActive(null);
    const deal = e.active.data.current?.deal as BoardDeal | undefined;
    const stage = stageOf(e.over?.id);
    if (!deal || !stage || stage.id === deal.stage) return;
    if (e.activatorEvent instanceof KeyboardEvent) refocus.current = { id: deal.id, stageId: stage.id };
    // A lost stage asks why first (the page's dialog): nothing moves until it is answered.
    if (!stage.isLost) setDropped({ board, deal, stage });
    onMove(deal, stage);
  };

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={collision}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={() => setActive(null)}
      accessibility={{ announcements, screenReaderInstructions: { draggable: 'To move this deal to another stage, press Space, then the arrow keys, then Space again. Escape cancels.' } }}
    >
      <div className="board-columns" role="region" aria-label={`${board.pipeline.name} pipeline`}>
        {columns.map((column) => (
          <BoardColumn
            key={column.stage.id}
            column={column}
            currency={currency}
            now={now}
            selected={selected}
            loadingMore={loadingMore.has(column.stage.id)}
            drawAll={drawAll}
            closedSince={board.closedSince}
            dealHref={dealHref}
            canMove={canMove}
            onToggleSelect={onToggleSelect}
            onQuickEdit={onQuickEdit}
            onShowMore={onShowMore}
          />
        ))}
      </div>
      <DragOverlay dropAnimation={null}>
        {active ? (
          <article className="card card-overlay" aria-hidden="true">
            <DealCardBody deal={active} stageName={stageOf(active.stage)?.name ?? ''} normDays={null} now={now} />
          </article>
        ) : null}
      </DragOverlay>
    </DndContext>
  );
}
