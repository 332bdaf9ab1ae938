// Between HubSpot's objects and ours: which object type holds each kind of record, and its
// properties as the field list mapping is chosen from (hidden and archived properties left out).
import { hubSpotField, type CrmField } from '../../../core/sync/fields.ts';
import type { CrmRecordType } from '../provider.ts';

export const hubSpotObjectOf: Record<CrmRecordType, string> = { company: 'companies', contact: 'contacts', deal: 'deals' };

type Property = Parameters<typeof hubSpotField>[0] & { hidden?: boolean; archived?: boolean };

export const hubSpotFields = (properties: readonly Property[]): CrmField[] =>
  properties.filter((p) => !p.hidden && !p.archived).map(hubSpotField).sort((x, y) => x.label.localeCompare(y.label));
