// What the sync needs from a CRM to pull its records, whichever it is: pages of companies,
// contacts and deals as the app's own fields (each provider's mappers translate), the CRM's users
// (owners are matched by email) and its deal pipelines (stages are mapped per pipeline).
import type { CrmStage } from '../../../core/sync/stages.ts';
import type { CrmEndpoints } from '../crm-config.ts';
import type { CrmAccess, CrmRecordType } from '../provider.ts';
import type { CallGuard } from './call-guard.ts';

export interface PullSession {
  endpoints: CrmEndpoints;
  access: CrmAccess;
  guard: CallGuard;
}

/** The app's fields of each kind of record, as the sync compares and writes them. */
export const syncedFields = {
  company: ['name', 'domain', 'industry'],
  contact: ['email', 'firstName', 'lastName', 'title', 'phone'],
  deal: ['name', 'valueCents', 'expectedCloseDate', 'crmStage'],
} as const satisfies Record<CrmRecordType, readonly string[]>;

/** One CRM record as the app's fields, with its references still as CRM ids. */
export interface PulledRecord {
  externalId: string;
  /** SystemModstamp / lastmodifieddate. */
  modifiedAt: Date;
  /** Deleted (Salesforce IsDeleted, HubSpot archived): reflected locally as a restorable delete. */
  deleted: boolean;
  /** Field → value, fields of `syncedFields[recordType]`; deals: crmStage is `pipelineId/stageId`. */
  values: Record<string, unknown>;
  ownerExternalId: string | null;
  /** Contacts and deals: their company. */
  companyExternalId: string | null;
  /** Deals: their contacts (Salesforce OpportunityContactRole, HubSpot associations). */
  contactExternalIds: string[];
}

export interface PullPage {
  records: PulledRecord[];
  /** Where the next page starts; null: this pull is complete. */
  next: Record<string, unknown> | null;
  /** The latest modification time read so far (the next incremental pull starts there). */
  modifiedUpTo: Date | null;
}

export interface CrmPipeline {
  id: string;
  label: string;
  stages: CrmStage[];
}

export interface CrmPuller {
  /** The CRM object each kind of record lives in (names the links and checkpoints). */
  objectOf: Record<CrmRecordType, string>;
  /** Endpoint limits the call guard paces on top of the account's (see CallGuardOptions.lanes). */
  lanes?: Record<string, { max: number; intervalMs: number }>;
  owners(session: PullSession): Promise<{ externalId: string; email: string }[]>;
  pipelines(session: PullSession): Promise<CrmPipeline[]>;
  /**
   * One page of records modified at or after `since` (null: all of them, the initial import),
   * continuing from `cursor` (null: the first page).
   */
  pullPage(session: PullSession, recordType: CrmRecordType, since: Date | null, cursor: Record<string, unknown> | null): Promise<PullPage>;
  /**
   * Records deleted at or after `since`, when the pull above cannot see them (HubSpot search never
   * returns archived records; Salesforce's queryAll does, so it has none of this).
   */
  deletedSince?(session: PullSession, recordType: CrmRecordType, since: Date): Promise<{ externalId: string; deletedAt: Date }[]>;
}
