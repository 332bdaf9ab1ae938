// Between HubSpot's objects and ours: which object type holds each kind of record, its properties
// as the field list mapping is chosen from (hidden and archived properties left out), and a
// record's property strings as the app's fields.
import { hubSpotField, type CrmField } from '../../../core/sync/fields.ts';
import type { CrmRecordType } from '../provider.ts';

export const hubSpotObjectOf: Record<CrmRecordType, string> = { company: 'companies', contact: 'contacts', deal: 'deals' };

type Property = Parameters<typeof hubSpotField>[0] & { hidden?: boolean; archived?: boolean };

export const hubSpotFields = (properties: readonly Property[]): CrmField[] =>
  properties.filter((p) => !p.hidden && !p.archived).map(hubSpotField).sort((x, y) => x.label.localeCompare(y.label));

/** Contacts keep the old name of the modification stamp. */
export const hubSpotModifiedProperty = (recordType: CrmRecordType) => (recordType === 'contact' ? 'lastmodifieddate' : 'hs_lastmodifieddate');

const read: Record<CrmRecordType, string[]> = {
  company: ['name', 'domain', 'industry'],
  contact: ['email', 'firstname', 'lastname', 'jobtitle', 'phone'],
  deal: ['dealname', 'amount', 'closedate', 'pipeline', 'dealstage'],
};

export const hubSpotPulledProperties = (recordType: CrmRecordType) => [...read[recordType], 'hubspot_owner_id', hubSpotModifiedProperty(recordType)];

const text = (v: string | null | undefined) => (v === undefined || v === null || v.trim() === '' ? null : v.trim());

/** HubSpot amounts are decimal strings in the deal's currency: stored as cents. */
export function amountToCents(amount: string | null | undefined): number | null {
  const t = text(amount);
  if (t === null) return null;
  const n = Number(t);
  return Number.isFinite(n) ? Math.round(n * 100) : null;
}

export function hubSpotRecordValues(recordType: CrmRecordType, p: Record<string, string | null | undefined>): Record<string, unknown> {
  switch (recordType) {
    case 'company':
      return { name: text(p.name) ?? text(p.domain) ?? 'Unnamed company', domain: text(p.domain)?.toLowerCase() ?? null, industry: text(p.industry) };
    case 'contact':
      return { email: text(p.email)?.toLowerCase() ?? null, firstName: text(p.firstname), lastName: text(p.lastname), title: text(p.jobtitle), phone: text(p.phone) };
    case 'deal':
      return {
        name: text(p.dealname) ?? 'Unnamed deal',
        valueCents: amountToCents(p.amount) ?? 0,
        expectedCloseDate: text(p.closedate)?.slice(0, 10) ?? null,
        crmStage: p.pipeline && p.dealstage ? `${p.pipeline}/${p.dealstage}` : null,
      };
  }
}
