// The trash (admins): every record deleted within the restore window, newest first, with who
// deleted it (from the audit log) and until when it can be restored (POST /<type>s/{id}/restore).
import { sql } from 'drizzle-orm';
import { forbidden } from '../../../core/errors.ts';
import { isAdmin } from '../../../core/roles.ts';
import type { TrashItem, TrashQuery } from '../../../core/schemas/admin.ts';
import { rowsOf } from '../../../db/client.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { RESTORE_WINDOW_DAYS } from './records.ts';

const DAY_MS = 86_400_000;

export async function listTrash(s: Scope, q: TrashQuery): Promise<{ data: TrashItem[] }> {
  if (!isAdmin(s.actor)) throw forbidden('Only admins can see deleted records');
  const since = new Date(s.now().getTime() - RESTORE_WINDOW_DAYS * DAY_MS).toISOString();
  const org = s.orgId;
  const rows = rowsOf<{ type: TrashItem['type']; id: string; name: string; deleted_at: string | Date; actor_id: string | null; actor_name: string | null; actor_email: string | null }>(
    await s.db.execute(sql`
      select x.type, x.id, x.name, x.deleted_at, u.id as actor_id, u.name as actor_name, u.email as actor_email
      from (
        select 'deal' as type, d.id, d.name, d.deleted_at from deals d where d.org_id = ${org} and d.deleted_at > ${since}::timestamptz
        union all
        select 'contact', c.id, coalesce(nullif(trim(concat_ws(' ', c.first_name, c.last_name)), ''), c.email), c.deleted_at
          from contacts c where c.org_id = ${org} and c.deleted_at > ${since}::timestamptz
        union all
        select 'company', co.id, co.name, co.deleted_at from companies co where co.org_id = ${org} and co.deleted_at > ${since}::timestamptz
        union all
        select case when a.type = 'task' then 'task' else 'activity' end, a.id, coalesce(nullif(a.subject, ''), initcap(replace(a.type, '_', ' '))), a.deleted_at
          from activities a where a.org_id = ${org} and a.deleted_at > ${since}::timestamptz
      ) x
      left join lateral (
        select al.actor_id from audit_log al
        where al.org_id = ${org} and al.entity_id = x.id and al.action = 'delete'
        order by al.at desc limit 1
      ) del on true
      left join "user" u on u.id = del.actor_id
      where ${q.type ? sql`x.type = ${q.type}` : sql`true`}
      order by x.deleted_at desc, x.id
      limit ${q.limit}`),
  );
  return {
    data: rows.map((r) => {
      const deletedAt = new Date(r.deleted_at);
      return {
        type: r.type,
        id: r.id,
        name: r.name,
        deletedAt: deletedAt.toISOString(),
        deletedBy: r.actor_id && r.actor_name !== null ? { id: r.actor_id, name: r.actor_name, email: r.actor_email ?? '' } : null,
        restorableUntil: new Date(deletedAt.getTime() + RESTORE_WINDOW_DAYS * DAY_MS).toISOString(),
      };
    }),
  };
}
