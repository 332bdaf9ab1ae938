import type { Company, Contact } from '../api-client/api-types.ts';
import { contactName } from './format.ts';

export interface CreateDealProps {
  contact: Contact;
  company: Company | undefined;
  onCreate: (contact: Contact, company: Company | undefined) => void;
}

/** One click: a new deal in the default pipeline's first stage, with the contact attached. */
export function CreateDeal({ contact, company, onCreate }: CreateDealProps) {
  return (
    <div className="crm-row">
      <button type="button" onClick={() => onCreate(contact, company)}>
        Create a deal with {contactName(contact)}
      </button>
    </div>
  );
}
