// Pulling Salesforce's Accounts, Contacts and Opportunities (+ OpportunityContactRole): queryAll
// in SystemModstamp order, so deleted records come along (IsDeleted) and the last stamp read is a
// valid place to resume; a page's cursor (nextRecordsUrl) is followed while it is fresh, else the
// query starts again from the stamp (core/sync/paging.ts). Users give the owners' emails,
// OpportunityStage the won/lost flags. Every call goes through the run's guard, which also reads
// Sforce-Limit-Info.
import { resumeSalesforce, salesforceCheckpointAfter, salesforceQuery, type SalesforceCheckpoint } from '../../../core/sync/paging.ts';
import { observeSalesforce } from '../../../core/sync/rate-budget.ts';
import { CrmSyncError } from '../../../core/sync/errors.ts';
import type { CrmRecordType } from '../provider.ts';
import type { CrmPuller, PullSession } from '../sync/pull.ts';
import { salesforceConnection } from './client.ts';
import { SALESFORCE_DEFAULT_PIPELINE, salesforceObjectOf, salesforcePulledFields, salesforceRecordValues, type SalesforceRow } from './mappers.ts';

interface QueryResult<R> {
  done: boolean;
  records: R[];
  nextRecordsUrl?: string;
}

/** IN lists stay short enough for a GET URL. */
const ID_CHUNK = 200;

export function salesforcePuller(apiVersion: string): CrmPuller {
  const base = `/services/data/v${apiVersion}`;

  async function request<R>(session: PullSession, url: string): Promise<QueryResult<R>> {
    const conn = salesforceConnection(session.access, { version: apiVersion });
    const result = await session.guard.run(() => conn.request<QueryResult<R>>({ method: 'GET', url }));
    const usage = (conn.limitInfo as { apiUsage?: { used: number; limit: number } }).apiUsage;
    if (usage) session.guard.observe((budget, now) => observeSalesforce(budget, `api-usage=${usage.used}/${usage.limit}`, now));
    return result;
  }

  const queryUrl = (soql: string, all = false) => `${base}/${all ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`;

  async function queryEverything<R>(session: PullSession, soql: string): Promise<R[]> {
    const rows: R[] = [];
    let page = await request<R>(session, queryUrl(soql));
    rows.push(...page.records);
    while (!page.done && page.nextRecordsUrl) {
      page = await request<R>(session, page.nextRecordsUrl);
      rows.push(...page.records);
    }
    return rows;
  }

  async function contactRoles(session: PullSession, opportunityIds: string[]): Promise<Map<string, string[]>> {
    const byOpportunity = new Map<string, string[]>();
    for (let i = 0; i < opportunityIds.length; i += ID_CHUNK) {
      const ids = opportunityIds.slice(i, i + ID_CHUNK).map((id) => `'${id}'`).join(', ');
      const roles = await queryEverything<{ OpportunityId: string; ContactId: string }>(session, `SELECT OpportunityId, ContactId FROM OpportunityContactRole WHERE OpportunityId IN (${ids})`);
      for (const r of roles) byOpportunity.set(r.OpportunityId, [...(byOpportunity.get(r.OpportunityId) ?? []), r.ContactId]);
    }
    return byOpportunity;
  }

  return {
    objectOf: salesforceObjectOf,

    async owners(session) {
      const users = await queryEverything<{ Id: string; Email: string | null }>(session, 'SELECT Id, Email FROM User');
      return users.filter((u) => u.Email).map((u) => ({ externalId: u.Id, email: u.Email! }));
    },

    async pipelines(session) {
      const stages = await queryEverything<{ ApiName: string; MasterLabel: string; IsClosed: boolean; IsWon: boolean; SortOrder: number; IsActive: boolean }>(
        session,
        'SELECT ApiName, MasterLabel, IsClosed, IsWon, SortOrder, IsActive FROM OpportunityStage',
      );
      // Opportunities carry the stage's API name (StageName); without record types there is one pipeline.
      return [{ id: SALESFORCE_DEFAULT_PIPELINE, label: 'Opportunities', stages: stages.map((s) => ({ id: s.ApiName, label: s.MasterLabel, displayOrder: s.SortOrder, isClosed: s.IsClosed, isWon: s.IsWon })) }];
    },

    async pullPage(session, recordType: CrmRecordType, since, cursor) {
      const checkpoint: SalesforceCheckpoint = (cursor as SalesforceCheckpoint | null) ?? { lastStamp: null, cursor: null };
      const step = resumeSalesforce(checkpoint, since?.toISOString() ?? null, new Date());
      const soql = (from: string | null) => salesforceQuery(salesforceObjectOf[recordType], salesforcePulledFields(recordType), from);
      let page: QueryResult<SalesforceRow>;
      try {
        page = await request<SalesforceRow>(session, step.kind === 'query_more' ? step.nextRecordsUrl : queryUrl(soql(step.since), true));
      } catch (error) {
        // The cursor expired after all: start again from the last stamp read.
        if (step.kind !== 'query_more' || !(error instanceof CrmSyncError) || error.providerCode !== 'INVALID_QUERY_LOCATOR') throw error;
        page = await request<SalesforceRow>(session, queryUrl(soql(checkpoint.lastStamp ?? since?.toISOString() ?? null), true));
      }
      const roles = recordType === 'deal' ? await contactRoles(session, page.records.filter((r) => !r.IsDeleted).map((r) => r.Id)) : new Map<string, string[]>();
      const records = page.records.map((r) => ({
        externalId: r.Id,
        modifiedAt: new Date(r.SystemModstamp),
        deleted: Boolean(r.IsDeleted),
        values: salesforceRecordValues(recordType, r),
        ownerExternalId: (r.OwnerId as string | undefined) ?? null,
        companyExternalId: (r.AccountId as string | undefined) ?? null,
        contactExternalIds: roles.get(r.Id) ?? [],
      }));
      const lastStamp = page.records.length ? page.records[page.records.length - 1]!.SystemModstamp : null;
      const next = salesforceCheckpointAfter(checkpoint, { done: page.done, nextRecordsUrl: page.nextRecordsUrl ?? null, lastStamp }, new Date());
      const upTo = next.lastStamp ? new Date(next.lastStamp) : since;
      return { records, next: page.done ? null : { ...next }, modifiedUpTo: upTo };
    },
  };
}
