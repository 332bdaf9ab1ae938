import { useId, useState } from 'react';
import type { Deal, Pipeline } from '../api-client/api-types.ts';

export interface StageSelectProps {
  deal: Deal;
  stages: Pipeline['stages'];
  onMove: (stage: { id: string; name: string }) => void;
  disabled?: boolean;
}

/** Pick a stage, then Move: a select alone would move the deal on every arrow key. */
export function StageSelect({ deal, stages, onMove, disabled = false }: StageSelectProps) {
  const id = useId();
  const [choice, setChoice] = useState(deal.stage);
  const options = stages.length ? stages : [{ id: deal.stage, name: deal.stageInfo.name }];
  const target = options.find((s) => s.id === choice);
  const changed = !!target && choice !== deal.stage;
  return (
    <div className="crm-row">
      <label className="crm-inline" htmlFor={id}>Stage</label>
      <select id={id} value={choice} disabled={disabled || stages.length === 0} onChange={(e) => setChoice(e.target.value)}>
        {options.map((s) => (
          <option key={s.id} value={s.id}>{s.name}</option>
        ))}
      </select>
      <button type="button" disabled={disabled || !changed} onClick={() => target && onMove({ id: target.id, name: target.name })}>
        Move{changed ? ` to ${target.name}` : ''}
      </button>
      {stages.length === 0 && <span className="crm-muted">Stages appear once the CRM is reachable.</span>}
    </div>
  );
}
