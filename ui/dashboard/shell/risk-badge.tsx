// The deal's risk, 0–100, coloured by band; its heaviest reason shows on hover and on keyboard focus.
import { useId } from 'react';
import { daysInStage, stageAgeLevel, stageAgeSentence } from '../../../core/deals/stage-age.ts';

const bandNames = { low: 'low', medium: 'medium', high: 'high' } as const;

export function RiskBadge({ risk }: { risk: { score: number; band: 'low' | 'medium' | 'high'; topReason: { sentence: string } | null } | null }) {
  const tipId = useId();
  if (!risk) return null;
  const reason = risk.topReason?.sentence ?? 'Nothing stands out: no warning sign fired.';
  return (
    // A button only so that keyboard focus reaches it and shows the reason, as hovering does.
    <button type="button" className={`risk risk-${risk.band}`} aria-describedby={tipId} aria-label={`Risk ${risk.score} of 100, ${bandNames[risk.band]}`}>
      <span aria-hidden="true">{risk.score}</span>
      <span className="tip" role="tooltip" id={tipId}>
        <strong>Risk {risk.score}/100 · {risk.band}</strong>
        {reason}
      </span>
    </button>
  );
}

/** Days in the current stage, amber past the team's norm and red past twice it. */
export function StageAge({ stageChangedAt, normDays, stageName, now }: { stageChangedAt: string; normDays: number | null; stageName: string; now: Date }) {
  const days = daysInStage(stageChangedAt, now);
  const level = stageAgeLevel(days, normDays);
  const sentence = stageAgeSentence(days, normDays, stageName);
  return (
    <span className={`age age-${level}`} title={sentence}>
      <span aria-hidden="true">{days}d</span>
      <span className="sr-only">{sentence}</span>
    </span>
  );
}
