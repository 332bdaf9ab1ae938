// Between Salesforce's objects and ours: which sObject holds each kind of record, its describe
// answer as the field list mapping is chosen from, and a record's fields as the app's fields.
import { salesforceField, type CrmField } from '../../../core/sync/fields.ts';
import type { CrmRecordType } from '../provider.ts';

export const salesforceObjectOf: Record<CrmRecordType, string> = { company: 'Account', contact: 'Contact', deal: 'Opportunity' };

type DescribedField = Parameters<typeof salesforceField>[0];

/** The fields of a `describe` answer, by label. */
export const salesforceFields = (describe: { fields: readonly DescribedField[] }): CrmField[] =>
  describe.fields.map(salesforceField).sort((x, y) => x.label.localeCompare(y.label));

/** Without record types an org has one opportunity pipeline: its stages are the StageName values. */
export const SALESFORCE_DEFAULT_PIPELINE = 'default';

const read: Record<CrmRecordType, string[]> = {
  company: ['Name', 'Website', 'Industry', 'OwnerId'],
  contact: ['Email', 'FirstName', 'LastName', 'Title', 'Phone', 'AccountId', 'OwnerId'],
  deal: ['Name', 'Amount', 'CloseDate', 'StageName', 'AccountId', 'OwnerId'],
};

export const salesforcePulledFields = (recordType: CrmRecordType) => [...read[recordType], 'IsDeleted'];

export type SalesforceRow = { Id: string; SystemModstamp: string; IsDeleted?: boolean } & Record<string, unknown>;

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** A Website as the bare domain companies are matched by: "https://www.acme.com/about" → "acme.com". */
export function domainOf(website: unknown): string | null {
  const t = text(website);
  if (!t) return null;
  try {
    return new URL(/^[a-z]+:\/\//i.test(t) ? t : `https://${t}`).hostname.replace(/^www\./, '').toLowerCase() || null;
  } catch {
    return null;
  }
}

export function salesforceRecordValues(recordType: CrmRecordType, r: Record<string, unknown>): Record<string, unknown> {
  switch (recordType) {
    case 'company':
      return { name: text(r.Name) ?? 'Unnamed account', domain: domainOf(r.Website), industry: text(r.Industry) };
    case 'contact':
      return { email: text(r.Email)?.toLowerCase() ?? null, firstName: text(r.FirstName), lastName: text(r.LastName), title: text(r.Title), phone: text(r.Phone) };
    case 'deal':
      return {
        name: text(r.Name) ?? 'Unnamed opportunity',
        valueCents: typeof r.Amount === 'number' ? Math.round(r.Amount * 100) : 0,
        expectedCloseDate: text(r.CloseDate)?.slice(0, 10) ?? null,
        crmStage: text(r.StageName) ? `${SALESFORCE_DEFAULT_PIPELINE}/${text(r.StageName)}` : null,
      };
  }
}
