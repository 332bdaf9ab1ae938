// A CSV export as a stream: the header, then one keyset page at a time, each read in its own short
// transaction of the caller's organization (no transaction held open while a slow client reads, no
// more than a page in memory). When the last page is sent (or the client goes away) the export is
// written to the audit log, and one of at least `notifyAdminsAtRows` rows tells the admins.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { csvRecord } from '../../../core/export/csv-cells.ts';
import { ownerFilterFor, type ExportKind } from '../../../core/export/export-access.ts';
import { forbidden } from '../../../core/errors.ts';
import { user } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { notifyAdmins } from '../notifications/notifications.service.ts';
import { recordAudit } from '../records/audit.ts';
import { exportSources, type ExportSource } from './export-sources.ts';

type RunInTenant = <T>(work: (s: Scope) => Promise<T>) => Promise<T>;

export interface ExportOptions {
  run: RunInTenant;
  notifyAdminsAtRows: number;
}

const nouns: Record<ExportKind, string> = { contacts: 'contacts', companies: 'companies', deals: 'deals', activities: 'activities' };

/**
 * Starts an export: the first page is read before anything is sent, so a refused or invalid
 * request still gets its 4xx; what follows streams. The stream is UTF-8 text/csv.
 */
export async function startExport<Q extends { ownerId?: string }>(kind: ExportKind, query: Q, options: ExportOptions): Promise<ReadableStream<Uint8Array>> {
  const source = exportSources[kind] as unknown as ExportSource<Q>;
  const { run } = options;
  const exportId = randomUUID();
  const encoder = new TextEncoder();

  const first = await run(async (s) => {
    const owner = ownerFilterFor(s.actor, query.ownerId);
    if (!owner) throw forbidden('Reps can export only their own records');
    const q = { ...query, ownerId: owner.ownerId } as Q;
    return { q, page: await source.page(s, q, undefined) };
  });
  const q = first.q;
  let page = first.page;
  let rows = 0;
  let headerSent = false;
  let finished = false;

  const finish = async (complete: boolean) => {
    if (finished) return;
    finished = true;
    await run((s) => recordExport(s, { exportId, kind, rows, complete, filters: q, notifyAdminsAtRows: options.notifyAdminsAtRows }));
  };

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!headerSent) {
          headerSent = true;
          // A BOM so Excel reads the file as UTF-8 (names with accents); parsers skip it.
          controller.enqueue(encoder.encode(`\uFEFF${csvRecord(source.headers)}`));
          return;
        }
        if (page.rows.length) {
          rows += page.rows.length;
          controller.enqueue(encoder.encode(page.rows.map((r) => csvRecord(r)).join('')));
        }
        const cursor = page.nextCursor;
        if (cursor) {
          page = await run((s) => source.page(s, q, cursor));
          return;
        }
        await finish(true);
        controller.close();
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await finish(false);
    },
  });
}

async function recordExport(s: Scope, e: { exportId: string; kind: ExportKind; rows: number; complete: boolean; filters: object; notifyAdminsAtRows: number }) {
  const filters = Object.fromEntries(Object.entries(e.filters).filter(([, v]) => v !== undefined));
  // The audit log's changes hold what was exported: kind, row count, filters, and whether it ran to the end.
  await recordAudit(s, 'export', 'export', e.exportId, {
    kind: { old: null, new: e.kind },
    rows: { old: null, new: e.rows },
    filters: { old: null, new: filters },
    complete: { old: null, new: e.complete },
  });
  if (e.rows < e.notifyAdminsAtRows) return;
  const [actor] = s.actor.userId ? await s.db.select({ name: user.name, email: user.email }).from(user).where(eq(user.id, s.actor.userId)) : [];
  const who = actor ? `${actor.name} (${actor.email})` : 'Someone';
  await notifyAdmins(s, {
    kind: 'large_export',
    title: `${who} exported ${e.rows.toLocaleString('en-US')} ${nouns[e.kind]}`,
    body: `${who} downloaded ${e.rows.toLocaleString('en-US')} ${nouns[e.kind]} as CSV${e.complete ? '' : ' (stopped before the end)'}. The export is in the audit log.`,
    data: { exportId: e.exportId, kind: e.kind, rows: e.rows, actorId: s.actor.userId },
    dedupeKey: `large_export:${e.exportId}`,
  });
}
