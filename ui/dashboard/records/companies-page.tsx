// Companies: a searchable list, and one company's page with its people, deals and timeline.
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { call, isApiError, useApi } from '../api.ts';
import { Timeline } from '../deals/deal-page.tsx';
import { keys } from '../queries.ts';
import { EmptyState, ErrorState, PageHeader, Skeleton } from '../shell/ui.tsx';
import type { Company } from '../types.ts';
import { contactName } from './contacts-page.tsx';
import { DealsOf } from './deals-of.tsx';
import { RecordList } from './record-list.tsx';

export function CompaniesPage() {
  const api = useApi();
  return (
    <RecordList<Company>
      title="Companies"
      path="/companies"
      icon="companies"
      queryKey={keys.companies}
      fetchPage={(q, cursor) => call(api.GET('/companies', { params: { query: { q, cursor, limit: 50 } } }))}
      columns={['Name', 'Domain', 'Industry', 'Owner']}
      emptyText="Companies are created from the inbox sidebar, or imported through the API."
      exportCsv={async (q) => (await call(api.GET('/exports/companies.csv', { params: { query: { q } }, parseAs: 'text' }))) as unknown as string}
      row={(c) => (
        <>
          <td><Link href={`/companies/${c.id}`} className="strong-link">{c.name}</Link></td>
          <td>{c.domain ?? <span className="muted">—</span>}</td>
          <td>{c.industry ?? <span className="muted">—</span>}</td>
          <td>{c.owner?.name ?? <span className="muted">—</span>}</td>
        </>
      )}
    />
  );
}

export function CompanyPage({ id }: { id: string }) {
  const api = useApi();
  const company = useQuery({ queryKey: [...keys.companies, id], queryFn: () => call(api.GET('/companies/{id}', { params: { path: { id } } })) });
  const people = useQuery({ queryKey: [...keys.contacts, 'of-company', id], queryFn: async () => (await call(api.GET('/contacts', { params: { query: { companyId: id, limit: 50 } } }))).data });
  if (company.isPending) return <div className="page page-narrow"><Skeleton lines={6} /></div>;
  if (company.isError) {
    return (
      <div className="page page-narrow">
        {isApiError(company.error) && company.error.status === 404 ? <EmptyState icon="companies" title="Company not found" action={<Link href="/companies">All companies</Link>}>It was deleted, or it is not in this organization.</EmptyState> : <ErrorState error={company.error} retry={() => void company.refetch()} />}
      </div>
    );
  }
  const c = company.data;
  return (
    <div className="page page-narrow">
      <p className="crumbs"><Link href="/companies">Companies</Link></p>
      <PageHeader title={c.name} subtitle={[c.domain, c.industry].filter(Boolean).join(' · ') || undefined} />
      <section className="panel">
        <h3>People</h3>
        {people.isPending ? <Skeleton lines={2} /> : people.isError ? <ErrorState error={people.error} /> : people.data.length === 0 ? <p className="muted">No contacts at this company yet.</p> : (
          <ul className="plain-list">
            {people.data.map((p) => <li key={p.id}><Link href={`/contacts/${p.id}`}>{contactName(p)}</Link><span className="muted"> · {p.title ? `${p.title} · ` : ''}{p.email}</span></li>)}
          </ul>
        )}
      </section>
      <DealsOf query={{ companyId: c.id }} />
      <Timeline query={{ companyId: c.id }} />
    </div>
  );
}
