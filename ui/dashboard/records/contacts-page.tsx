// Contacts: a searchable list, and one contact's page with their company, deals and timeline.
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { call, isApiError, useApi } from '../api.ts';
import { Timeline } from '../deals/deal-page.tsx';
import { keys } from '../queries.ts';
import { EmptyState, ErrorState, PageHeader, Skeleton } from '../shell/ui.tsx';
import type { Contact } from '../types.ts';
import { DealsOf } from './deals-of.tsx';
import { RecordList } from './record-list.tsx';

export const contactName = (c: Pick<Contact, 'firstName' | 'lastName' | 'email'>) => [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email;

export function ContactsPage() {
  const api = useApi();
  return (
    <RecordList<Contact>
      title="Contacts"
      path="/contacts"
      icon="contacts"
      queryKey={keys.contacts}
      fetchPage={(q, cursor) => call(api.GET('/contacts', { params: { query: { q, cursor, limit: 50 } } }))}
      columns={['Name', 'Email', 'Title', 'Owner']}
      emptyText="Contacts are created from the inbox sidebar when a rep adds a sender, or imported through the API."
      exportCsv={async (q) => (await call(api.GET('/exports/contacts.csv', { params: { query: { q } }, parseAs: 'text' }))) as unknown as string}
      row={(c) => (
        <>
          <td><Link href={`/contacts/${c.id}`} className="strong-link">{contactName(c)}</Link></td>
          <td>{c.email}</td>
          <td>{c.title ?? <span className="muted">—</span>}</td>
          <td>{c.owner?.name ?? <span className="muted">—</span>}</td>
        </>
      )}
    />
  );
}

export function ContactPage({ id }: { id: string }) {
  const api = useApi();
  const contact = useQuery({ queryKey: [...keys.contacts, id], queryFn: () => call(api.GET('/contacts/{id}', { params: { path: { id } } })) });
  const company = useQuery({
    queryKey: [...keys.companies, contact.data?.companyId],
    enabled: !!contact.data?.companyId,
    queryFn: () => call(api.GET('/companies/{id}', { params: { path: { id: contact.data!.companyId! } } })),
  });
  if (contact.isPending) return <div className="page page-narrow"><Skeleton lines={6} /></div>;
  if (contact.isError) {
    return (
      <div className="page page-narrow">
        {isApiError(contact.error) && contact.error.status === 404 ? <EmptyState icon="contacts" title="Contact not found" action={<Link href="/contacts">All contacts</Link>}>It was deleted, or it is not in this organization.</EmptyState> : <ErrorState error={contact.error} retry={() => void contact.refetch()} />}
      </div>
    );
  }
  const c = contact.data;
  return (
    <div className="page page-narrow">
      <p className="crumbs"><Link href="/contacts">Contacts</Link></p>
      <PageHeader title={contactName(c)} subtitle={[c.title, c.email, c.phone].filter(Boolean).join(' · ')} />
      <dl className="fields">
        <div className="field-row"><dt>Company</dt><dd>{c.companyId ? <Link href={`/companies/${c.companyId}`}>{company.data?.name ?? 'Company'}</Link> : <span className="muted">—</span>}</dd></div>
        <div className="field-row"><dt>Owner</dt><dd>{c.owner?.name ?? '—'}</dd></div>
        {c.tags.length > 0 && <div className="field-row"><dt>Tags</dt><dd>{c.tags.join(', ')}</dd></div>}
      </dl>
      <DealsOf query={{ contactId: c.id }} />
      <Timeline query={{ contactId: c.id }} />
    </div>
  );
}
