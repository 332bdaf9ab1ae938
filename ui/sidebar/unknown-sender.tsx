import { domainOf, isFreeMailDomain } from '../../core/email-address.ts';
import { companyNameFromDomain } from './format.ts';
import type { Participant } from './host.ts';

export interface UnknownSenderProps {
  participant: Participant;
  /** A company the CRM already has for the address's domain, if any. */
  knownCompany?: string;
  onCreate: (participant: Participant) => void;
  disabled?: boolean;
}

/** Someone on the thread the CRM does not know: one click makes them a contact. */
export function UnknownSender({ participant, knownCompany, onCreate, disabled = false }: UnknownSenderProps) {
  const domain = domainOf(participant.email);
  const company = isFreeMailDomain(domain) ? null : (knownCompany ?? companyNameFromDomain(domain));
  const who = participant.name.trim() || participant.email;
  return (
    <article className="crm-card" aria-label={`Not in the CRM: ${who}`}>
      <header>
        <h3>{who}</h3>
        <span className="crm-badge">Not in CRM</span>
      </header>
      {who !== participant.email && <p className="crm-muted">{participant.email}</p>}
      <div className="crm-row">
        <button type="button" className="crm-primary" disabled={disabled} onClick={() => onCreate(participant)}>
          Add {who} as a contact
        </button>
      </div>
      <p className="crm-muted">{company ? `With the company ${company}` : 'Personal address: no company'}</p>
    </article>
  );
}
