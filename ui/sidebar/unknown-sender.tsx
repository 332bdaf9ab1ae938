import { useId, useState } from 'react';
import { companyForSender } from '../../core/company-from-email.ts';
import type { Participant } from './host.ts';

export interface UnknownSenderProps {
  participant: Participant;
  /** A company the CRM already has for the address's domain, if any. */
  knownCompany?: string;
  /** A title read from their signature: offered, kept unless the rep unticks it. */
  signatureTitle?: string | null;
  onCreate: (participant: Participant, options: { title: string | null }) => void;
  disabled?: boolean;
  /** Why this sender looks like a mailing list or a machine (e.g. "has a List-Unsubscribe header"). */
  automated?: string | null;
}

const noCompany = { personal: 'Personal address: no company', automated: 'Sent by a list or a machine: no company', platform: 'Sent through a mail platform: no company' } as const;

/** Someone on the thread the CRM does not know: one click makes them a contact. */
export function UnknownSender({ participant, knownCompany, signatureTitle = null, onCreate, disabled = false, automated = null }: UnknownSenderProps) {
  const id = useId();
  const [keepTitle, setKeepTitle] = useState(true);
  const offered = companyForSender(participant.email, { automated: !!automated });
  const company = offered.name === null ? null : (knownCompany ?? offered.name);
  const who = participant.name.trim() || participant.email;
  return (
    <article className="crm-card" aria-label={`Not in the CRM: ${who}`}>
      <header>
        <h3>{who}</h3>
        <span className="crm-badge">{automated ? 'Mailing list' : 'Not in CRM'}</span>
      </header>
      {who !== participant.email && <p className="crm-muted">{participant.email}</p>}
      {/* Newsletters and notifications are rarely people to sell to: say so, and keep the button quiet. */}
      {automated && <p className="crm-muted">Looks automated ({automated}); usually not a person to add.</p>}
      <p className="crm-muted">{company ? `With the company ${company}` : offered.name === null ? noCompany[offered.reason] : ''}</p>
      {signatureTitle && (
        <label className="crm-inline" htmlFor={`${id}-title`}>
          <input id={`${id}-title`} type="checkbox" checked={keepTitle} onChange={(e) => setKeepTitle(e.target.checked)} />
          <span>
            Title: {signatureTitle} <span className="crm-muted">(from their signature)</span>
          </span>
        </label>
      )}
      <div className="crm-row">
        <button
          type="button"
          className={automated ? undefined : 'crm-primary'}
          disabled={disabled}
          onClick={() => onCreate(participant, { title: signatureTitle && keepTitle ? signatureTitle : null })}
        >
          {automated ? `Add ${who} anyway` : `Add ${who} as a contact`}
        </button>
      </div>
    </article>
  );
}
