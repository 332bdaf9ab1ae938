// One deal on the board: name, company, value, owner, expected close, risk and days in stage.
// Dragged by the whole card with the mouse, or with the keyboard from its handle (Space picks up,
// arrows move between stages, Space drops, Escape cancels); selectable for bulk actions; its value,
// close date and owner can be edited in place.
import { useDraggable } from '@dnd-kit/core';
import { memo, useCallback, useRef, type KeyboardEvent as ReactKeyboardEvent, type KeyboardEventHandler, type PointerEventHandler } from 'react';
import { Link } from 'wouter';
import { day } from '../format.ts';
import { moneyShort } from '../format.ts';
import { Icon } from '../shell/icons.tsx';
import { RiskBadge, StageAge } from '../shell/risk-badge.tsx';
import { Avatar } from '../shell/ui.tsx';
import type { BoardDeal } from '../types.ts';

export interface DealCardProps {
  deal: BoardDeal;
  stageName: string;
  normDays: number | null;
  canMove: boolean;
  selected: boolean;
  now: Date;
  dealHref: string;
  onToggleSelect: (id: string) => void;
  onQuickEdit: (deal: BoardDeal) => void;
}

/** Without `dealHref` (the copy that follows the pointer while dragging) nothing in it is focusable. */
export const DealCardBody = memo(function DealCardBody({ deal, stageName, normDays, now, dealHref }: Pick<DealCardProps, 'deal' | 'stageName' | 'normDays' | 'now'> & { dealHref?: string }) {
  const overdue = deal.outcome === null && deal.expectedCloseDate !== null && deal.expectedCloseDate < now.toISOString().slice(0, 10);
  return (
    <>
      {dealHref ? (
        <Link href={dealHref} className="card-title">
          {deal.name}
        </Link>
      ) : (
        <span className="card-title">{deal.name}</span>
      )}
      <div className="card-company">{deal.companyName ?? 'No company'}</div>
      <div className="card-value">
        <strong>{moneyShort(deal.valueCents, deal.currency)}</strong>
        <span className="muted"> · {deal.probability}%</span>
      </div>
      <div className="card-meta">
        <span className="card-owner" title={deal.ownerName ? `Owner: ${deal.ownerName}` : 'No owner'}>
          <Avatar name={deal.ownerName} size={20} />
          <span className="sr-only">{deal.ownerName ? `Owner ${deal.ownerName}` : 'No owner'}</span>
        </span>
        <span className={`card-close${overdue ? ' overdue' : ''}`} title={overdue ? 'Expected close date has passed' : 'Expected close date'}>
          <Icon name="calendar" size={13} />
          {day(deal.expectedCloseDate, now)}
        </span>
        <span className="card-flags">
          {deal.outcome === null && <StageAge stageChangedAt={deal.stageChangedAt} normDays={normDays} stageName={stageName} now={now} />}
          {dealHref ? <RiskBadge risk={deal.risk} /> : deal.risk && <span className={`risk risk-${deal.risk.band}`}>{deal.risk.score}</span>}
        </span>
      </div>
    </>
  );
});

/**
 * dnd-kit's keyboard sensor starts listening for keys one task after the key that picks a card up,
 * and the browser handles input before timers: an arrow pressed right after Space (a quick hand)
 * was lost, the page scrolled instead and the card dropped back where it was. Keys that come in that
 * gap are held and replayed to the sensor as soon as it listens.
 */
function useKeyboardPickUp(onKeyDown: KeyboardEventHandler<HTMLButtonElement> | undefined) {
  const held = useRef<KeyboardEvent[] | null>(null);
  return useCallback(
    (e: ReactKeyboardEvent<HTMLButtonElement>) => {
      if (held.current) {
        e.preventDefault();
        held.current.push(new KeyboardEvent('keydown', { key: e.key, code: e.code, bubbles: true, cancelable: true }));
        return;
      }
      onKeyDown?.(e);
      // The sensor took the key as a pick-up (it prevents its default): hold what comes next until
      // the sensor's own timer has run (timers run in order).
      if (!e.defaultPrevented || (e.code !== 'Space' && e.code !== 'Enter')) return;
      const queue: KeyboardEvent[] = [];
      held.current = queue;
      const handle = e.currentTarget;
      setTimeout(() => {
        held.current = null;
        for (const key of queue) handle.dispatchEvent(key);
      });
    },
    [onKeyDown],
  );
}

function DealCardComponent(props: DealCardProps) {
  const { deal, canMove, selected, onToggleSelect, onQuickEdit } = props;
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, isDragging } = useDraggable({ id: deal.id, disabled: !canMove, data: { deal } });
  const onHandleKeyDown = useKeyboardPickUp(listeners?.onKeyDown as KeyboardEventHandler<HTMLButtonElement> | undefined);
  return (
    <article
      ref={setNodeRef}
      className={`card${isDragging ? ' dragging' : ''}${selected ? ' selected' : ''}${canMove ? ' movable' : ''}`}
      data-deal-id={deal.id}
      aria-label={deal.name}
      onPointerDown={canMove ? (listeners?.onPointerDown as PointerEventHandler<HTMLElement> | undefined) : undefined}
    >
      <div className="card-top">
        <input type="checkbox" className="card-select" checked={selected} onChange={() => onToggleSelect(deal.id)} aria-label={`Select ${deal.name}`} />
        {canMove && (
          <button type="button" ref={setActivatorNodeRef} className="card-handle" {...attributes} onKeyDown={onHandleKeyDown} aria-label={`Move ${deal.name}`} aria-roledescription="draggable deal">
            <Icon name="grip" size={14} strokeWidth={2.6} />
          </button>
        )}
        {canMove && (
          <button type="button" className="card-edit" aria-label={`Quick edit ${deal.name}`} title="Quick edit" onClick={() => onQuickEdit(deal)}>
            <Icon name="edit" size={14} />
          </button>
        )}
      </div>
      {/* Only what the body shows, so a drag starting or ending (which redraws every draggable card) leaves it alone. */}
      <DealCardBody deal={props.deal} stageName={props.stageName} normDays={props.normDays} now={props.now} dealHref={props.dealHref} />
    </article>
  );
}

export const DealCard = memo(DealCardComponent);
