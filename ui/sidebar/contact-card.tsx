import { useEffect, useRef } from 'react';
import type { Company, Contact } from '../api-client/api-types.ts';
import { contactName } from './format.ts';

export interface ContactCardProps {
  contact: Contact;
  company: Company | undefined;
  /** The rep's address, to say "Owned by you". */
  userEmail: string;
  pending?: boolean;
  /** Take focus when shown (the rep just created this contact). */
  autoFocus?: boolean;
}

export function ContactCard({ contact, company, userEmail, pending = false, autoFocus = false }: ContactCardProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (autoFocus) heading.current?.focus();
  }, [autoFocus]);
  const name = contactName(contact);
  const owner = contact.owner ? (contact.owner.email.toLowerCase() === userEmail.toLowerCase() ? 'you' : contact.owner.name) : null;
  return (
    <article className="crm-card" aria-label={`Contact ${name}`}>
      <header>
        <h3 ref={heading} tabIndex={-1}>{name}</h3>
        {pending && <span className="crm-badge crm-pending">Pending</span>}
      </header>
      {name !== contact.email && <p className="crm-muted">{contact.email}</p>}
      {(contact.title || company) && (
        <p>
          {contact.title}
          {contact.title && company ? ' · ' : ''}
          {company && <span>{company.name}{company.domain ? <span className="crm-muted"> ({company.domain})</span> : null}</span>}
        </p>
      )}
      {owner && <p className="crm-muted">Owned by {owner}</p>}
    </article>
  );
}
