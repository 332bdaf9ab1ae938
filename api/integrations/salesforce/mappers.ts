// Between Salesforce's objects and ours: which sObject holds each kind of record, and its
// describe answer as the field list mapping is chosen from.
import { salesforceField, type CrmField } from '../../../core/sync/fields.ts';
import type { CrmRecordType } from '../provider.ts';

export const salesforceObjectOf: Record<CrmRecordType, string> = { company: 'Account', contact: 'Contact', deal: 'Opportunity' };

type DescribedField = Parameters<typeof salesforceField>[0];

/** The fields of a `describe` answer, by label. */
export const salesforceFields = (describe: { fields: readonly DescribedField[] }): CrmField[] =>
  describe.fields.map(salesforceField).sort((x, y) => x.label.localeCompare(y.label));
