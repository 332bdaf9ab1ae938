// What the sidebar shows between threads (nothing open, or a thread with colleagues only): a search
// over contacts and deals, the rep's tasks due today (overdue ones first), and their deals at high
// risk. Read straight from the API: nothing here is queued or cached.
import { useEffect, useId, useState } from 'react';
import type { Activity, Contact, Deal, DealRisk, ThreadContext } from '../api-client/api-types.ts';
import type { SidebarApi } from '../api-client/sidebar-api.ts';
import { describeError } from './describe-error.ts';
import { asApiError } from '../api-client/api-error.ts';
import { contactName, formatDate, formatDue, formatMoney, isOverdue } from './format.ts';
import { Section, type Fold } from './section.tsx';

type RiskyDeal = Deal & { risk: DealRisk | null };

export interface HomePanelProps {
  api: SidebarApi;
  now: Date;
  locale: string;
  /** Why there is no thread to show: says so above the rest. */
  message: string;
  fold: (section: string) => Fold;
  /** How long typing pauses before the search is sent. */
  searchDelayMs?: number;
}

const endOfToday = (now: Date) => new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).toISOString();

export function HomePanel({ api, now, locale, message, fold, searchDelayMs = 250 }: HomePanelProps) {
  const searchId = useId();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<{ q: string; contacts: Contact[]; deals: RiskyDeal[] } | null>(null);
  const [tasks, setTasks] = useState<Activity[] | null>(null);
  const [atRisk, setAtRisk] = useState<RiskyDeal[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const dueBefore = endOfToday(now);
  /** The search result opened in place (a contact's deals and tasks, a deal's details). */
  const [shown, setShown] = useState<string | null>(null);
  const [shownContext, setShownContext] = useState<ThreadContext | null>(null);

  const toggleContact = async (contact: Contact) => {
    if (shown === contact.id) return setShown(null);
    setShown(contact.id);
    setShownContext(null);
    try {
      // The same lookup a thread with this person makes.
      const context = await api.getContext([contact.email]);
      setShownContext(context);
    } catch (err) {
      setShown(null);
      setProblem(describeError(asApiError(err)));
    }
  };

  /** Tasks being completed: their button waits, so a double click sends once. */
  const [completing, setCompleting] = useState<Set<string>>(new Set());

  const complete = async (task: Activity) => {
    setCompleting((c) => new Set(c).add(task.id));
    setProblem(null);
    try {
      // Sent straight away, not queued: this panel shows only what the API just said.
      await api.completeTask(task.id, { idempotencyKey: globalThis.crypto.randomUUID() });
      setTasks((list) => list?.filter((t) => t.id !== task.id) ?? list);
    } catch (err) {
      setProblem(`Not saved: Complete the task “${task.subject ?? 'task'}”. ${describeError(asApiError(err))}`);
    } finally {
      setCompleting((c) => {
        const next = new Set(c);
        next.delete(task.id);
        return next;
      });
    }
  };

  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const me = await api.me();
        const [due, risky] = await Promise.all([api.openTasksDue(me.user.id, dueBefore), api.myDealsAtRisk()]);
        if (!live) return;
        setTasks(due);
        setAtRisk(risky);
      } catch (err) {
        if (live) setProblem(describeError(asApiError(err)));
      }
    })();
    return () => {
      live = false;
    };
  }, [api, dueBefore]);

  useEffect(() => {
    const q = query.trim();
    if (q.length < 2) {
      setResults(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      void Promise.all([api.searchContacts(q), api.searchDeals(q)]).then(
        ([contacts, deals]) => live && setResults({ q, contacts, deals }),
        (err: unknown) => live && setProblem(describeError(asApiError(err))),
      );
    }, searchDelayMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, query, searchDelayMs]);

  return (
    <div className="crm-home">
      <p className="crm-muted">{message}</p>
      <div className="crm-field">
        <label htmlFor={searchId}>Search contacts and deals</label>
        <input id={searchId} type="search" value={query} placeholder="Name, email, company or deal" onChange={(e) => setQuery(e.target.value)} />
      </div>
      {results && (
        <div role="region" aria-label="Search results">
          {results.contacts.length === 0 && results.deals.length === 0 && <p className="crm-muted">Nothing matches “{results.q}”.</p>}
          <ul className="crm-list">
            {results.contacts.map((c) => (
              <li key={c.id}>
                <button type="button" className="crm-link" aria-expanded={shown === c.id} onClick={() => void toggleContact(c)}>{contactName(c)}</button>{' '}
                <span className="crm-muted crm-small">{c.title ? `${c.title} · ` : ''}{c.email}</span>
                {shown === c.id && <ContactDetails context={shownContext} locale={locale} now={now} contactId={c.id} />}
              </li>
            ))}
            {results.deals.map((d) => (
              <li key={d.id}>
                <button type="button" className="crm-link" aria-expanded={shown === d.id} onClick={() => setShown(shown === d.id ? null : d.id)}>{d.name}</button>{' '}
                <span className="crm-muted crm-small">{d.stageInfo.name} · {formatMoney(d.valueCents, d.currency, locale)}</span>
                {shown === d.id && <DealDetails deal={d} locale={locale} />}
              </li>
            ))}
          </ul>
        </div>
      )}
      {problem && <p className="crm-overdue" role="alert">{problem}</p>}
      <Section title="My tasks today" fold={fold('home-tasks')}>
        {tasks === null ? (
          <p className="crm-muted">Loading…</p>
        ) : tasks.length === 0 ? (
          <p className="crm-muted">Nothing due today.</p>
        ) : (
          <ul className="crm-list">
            {tasks.map((t) => (
              <li key={t.id}>
                <div>{t.subject ?? '(no subject)'}</div>
                <div className="crm-row">
                  <span className={`crm-small ${isOverdue(t.dueAt, now) ? 'crm-overdue' : 'crm-muted'}`}>{formatDue(t.dueAt, now, locale)}</span>
                  <button type="button" disabled={completing.has(t.id)} onClick={() => void complete(t)} aria-label={`Complete task: ${t.subject ?? '(no subject)'}`}>
                    Complete
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title="My deals at risk" fold={fold('home-risk')}>
        {atRisk === null ? (
          <p className="crm-muted">Loading…</p>
        ) : atRisk.length === 0 ? (
          <p className="crm-muted">None of your deals is at high risk.</p>
        ) : (
          <ul className="crm-list">
            {atRisk.map((d) => (
              <li key={d.id}>
                <div>
                  <strong>{d.name}</strong> {d.risk && <span className={`crm-badge crm-risk-${d.risk.band}`}>Risk {d.risk.score} · {d.risk.band}</span>}
                </div>
                {d.risk && <div className="crm-small crm-muted">{d.risk.nextAction.sentence}</div>}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}

/** A contact from the search: their company, open deals and open tasks, as the CRM has them. */
function ContactDetails({ context, contactId, locale, now }: { context: ThreadContext | null; contactId: string; locale: string; now: Date }) {
  if (!context) return <p className="crm-muted crm-small">Loading…</p>;
  const contact = context.contacts.find((c) => c.id === contactId);
  const company = context.companies.find((c) => c.id === contact?.companyId);
  const deals = context.deals.filter((d) => !d.outcome);
  return (
    <div className="crm-small" role="group" aria-label={`About ${contact ? contactName(contact) : 'this contact'}`}>
      {company && <div>{company.name}</div>}
      <div>{deals.length === 0 ? 'No open deals.' : deals.map((d) => `${d.name} (${d.stageInfo.name}, ${formatMoney(d.valueCents, d.currency, locale)})`).join('; ')}</div>
      <div>
        {context.tasks.length === 0
          ? 'No open tasks.'
          : context.tasks.map((t) => `${t.subject ?? '(no subject)'} — ${formatDue(t.dueAt, now, locale)}`).join('; ')}
      </div>
    </div>
  );
}

/** A deal from the search: what the search already returned about it. */
function DealDetails({ deal, locale }: { deal: RiskyDeal; locale: string }) {
  return (
    <div className="crm-small" role="group" aria-label={`About ${deal.name}`}>
      <div>
        {deal.expectedCloseDate ? `Closes ${formatDate(deal.expectedCloseDate, locale)}` : 'No close date'}
        {deal.owner ? ` · Owner ${deal.owner.name}` : ''}
      </div>
      {deal.risk && <div>Risk {deal.risk.score} · {deal.risk.band}: {deal.risk.nextAction.sentence}</div>}
    </div>
  );
}
