// Asked before a deal goes to a lost stage (a drop on the board, a bulk move, the deal page's
// stage): why it was lost, with the usual reasons one click away. The reason feeds win-rate reports.
import { useState } from 'react';
import { Button, Dialog, Field } from '../shell/ui.tsx';
import type { Stage } from '../types.ts';

export function LostReasonDialog({ names, stage, onClose, onConfirm }: { names: string[]; stage: Stage; onClose: () => void; onConfirm: (reason: string | null) => void }) {
  const [reason, setReason] = useState('');
  const common = ['Price', 'Went with a competitor', 'No budget', 'No decision', 'Timing'];
  return (
    <Dialog open title={names.length === 1 ? `Why was ${names[0]} lost?` : `Why were ${names.length} deals lost?`} onClose={onClose}>
      <form className="form" onSubmit={(e) => { e.preventDefault(); onConfirm(reason.trim() || null); }}>
        <div className="chips" role="group" aria-label="Common reasons">
          {common.map((c) => <button type="button" key={c} className={`chip${reason === c ? ' active' : ''}`} aria-pressed={reason === c} onClick={() => setReason(c)}>{c}</button>)}
        </div>
        <Field label="Lost reason" hint={`Moves to ${stage.name}. The reason feeds the win-rate reports.`}>
          {(id, d) => <input id={id} aria-describedby={d} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} autoFocus />}
        </Field>
        <div className="dialog-footer">
          <Button onClick={onClose}>Cancel</Button>
          <Button kind="danger" type="submit">Mark as lost</Button>
        </div>
      </form>
    </Dialog>
  );
}
