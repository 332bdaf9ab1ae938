import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { Deal, Pipeline } from '../api-client/api-types.ts';

export interface StageMove {
  id: string;
  name: string;
  /** Asked for when the stage is a lost one. */
  lostReason?: string;
}

export interface StageStripProps {
  deal: Deal;
  stages: Pipeline['stages'];
  onMove: (stage: StageMove) => void;
  disabled?: boolean;
  /** Shown on the row of the closing stages (the deal's Edit button). */
  children?: ReactNode;
}

/**
 * The pipeline's open stages in a row, the current one marked: one click moves the deal there, and
 * with the strip focused ← and → move it one open stage back or on. The closing stages (won, lost)
 * sit apart on the row below; a lost stage first asks why.
 */
export function StageStrip({ deal, stages, onMove, disabled = false, children }: StageStripProps) {
  const id = useId();
  const [askingLost, setAskingLost] = useState<Pipeline['stages'][number] | null>(null);
  const [reason, setReason] = useState('');
  const reasonInput = useRef<HTMLInputElement>(null);
  // Until the pipelines are known (first start, offline) the deal's own stage is all there is to show.
  const known = stages.length > 0;
  const sorted = known
    ? [...stages].sort((a, b) => a.position - b.position)
    : [{ id: deal.stage, name: deal.stageInfo.name, position: 0, defaultProbability: 0, isWon: deal.stageInfo.isWon, isLost: deal.stageInfo.isLost }];
  const open = sorted.filter((s) => !s.isWon && !s.isLost);

  const choose = (stage: Pipeline['stages'][number]) => {
    if (disabled || stage.id === deal.stage) return;
    if (stage.isLost) {
      setAskingLost(stage);
      setReason('');
      queueMicrotask(() => reasonInput.current?.focus());
      return;
    }
    onMove({ id: stage.id, name: stage.name });
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    const at = open.findIndex((s) => s.id === deal.stage);
    if (at < 0) return;
    const next = open[at + (e.key === 'ArrowRight' ? 1 : -1)];
    if (next) choose(next);
  };

  const closed = sorted.filter((s) => s.isWon || s.isLost);
  const button = (s: (typeof sorted)[number]) => {
    const current = s.id === deal.stage;
    const kind = s.isWon ? ' crm-stage-won' : s.isLost ? ' crm-stage-lost' : '';
    return (
      <button
        key={s.id}
        type="button"
        className={`crm-stage${current ? ' crm-stage-current' : ''}${kind}`}
        aria-pressed={current}
        disabled={disabled || !known}
        title={current ? `${s.name} (current stage)` : `Move to ${s.name}`}
        onClick={() => choose(s)}
      >
        {s.name}
      </button>
    );
  };

  return (
    <div>
      <div className="crm-stages" role="group" aria-label={`Stage of ${deal.name}`} aria-keyshortcuts="ArrowLeft ArrowRight" onKeyDown={onKey}>
        {(open.length ? open : sorted).map(button)}
      </div>
      <div className="crm-row crm-deal-actions">
        {children}
        {open.length > 0 && closed.length > 0 && <span className="crm-closed-stages">{closed.map(button)}</span>}
      </div>
      {askingLost && (
        <form
          className="crm-form"
          aria-label={`Why was ${deal.name} lost?`}
          onSubmit={(e) => {
            e.preventDefault();
            if (!reason.trim()) return;
            onMove({ id: askingLost.id, name: askingLost.name, lostReason: reason.trim() });
            setAskingLost(null);
          }}
        >
          <label htmlFor={`${id}-reason`}>Why was it lost?</label>
          <input id={`${id}-reason`} ref={reasonInput} value={reason} maxLength={500} placeholder="e.g. Went with a competitor" onChange={(e) => setReason(e.target.value)} />
          <div className="crm-row">
            <button type="submit" className="crm-primary" disabled={!reason.trim()}>
              Mark lost
            </button>
            <button type="button" onClick={() => setAskingLost(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
