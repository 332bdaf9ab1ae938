import { domainOf, isFreeMailDomain } from '../../core/email-address.ts';
import { companyNameFromDomain } from './format.ts';
import type { Participant } from './host.ts';

export interface UnknownSenderProps {
  participant: Participant;
  /** A company the CRM already has for the address's domain, if any. */
  knownCompany?: string;
  onCreate: (participant: Participant) => void;
  disabled?: boolean;
  /** Why this sender looks like a mailing list or a machine (e.g. "has a List-Unsubscribe header"). */
  automated?: string | null;
}

/** Someone on the thread the CRM does not know: one click makes them a contact. */
export function UnknownSender({ participant, knownCompany, onCreate, disabled = false, automated = null }: UnknownSenderProps) {
  const domain = domainOf(participant.email);
  const company = isFreeMailDomain(domain) ? null : (knownCompany ?? companyNameFromDomain(domain));
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
      <div className="crm-row">
        <button type="button" className={automated ? undefined : 'crm-primary'} disabled={disabled} onClick={() => onCreate(participant)}>
          {automated ? `Add ${who} anyway` : `Add ${who} as a contact`}
        </button>
      </div>
      <p className="crm-muted">{company ? `With the company ${company}` : 'Personal address: no company'}</p>
    </article>
  );
}
