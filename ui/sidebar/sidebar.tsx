import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { domainOf } from '../../core/email-address.ts';
import { titleFromSignature } from '../../core/signature-title.ts';
import type { Company, Contact, SidebarDeal, ThreadContext } from '../api-client/api-types.ts';
import type { SidebarApi } from '../api-client/sidebar-api.ts';
import {
  completeTaskDraft,
  createContactDraft,
  createDealDraft,
  editDealDraft,
  moveDealDraft,
  noteDraft,
  stagesOf,
  suggestedDealName,
  taskDraft,
} from './actions.ts';
import type { KeyValueStore } from './cache.ts';
import { ContactCard } from './contact-card.tsx';
import { CreateDeal } from './create-deal.tsx';
import { DealCard } from './deal-card.tsx';
import { describeError } from './describe-error.ts';
import type { InboxHost, InboxThread, Participant } from './host.ts';
import { participantFor } from './inbox-thread.ts';
import { LoggingStatus } from './logging-status.tsx';
import { automatedSenderReason } from './logging.ts';
import { contactName } from './format.ts';
import { HomePanel } from './home-panel.tsx';
import { NoteForm } from './note-form.tsx';
import { Section } from './section.tsx';
import { SidebarModel } from './sidebar-model.ts';
import type { SidebarState, SidebarView } from './sidebar-state.ts';
import { SignInPrompt } from './sign-in-prompt.tsx';
import { StatusBar } from './status-bar.tsx';
import { TaskForm } from './task-form.tsx';
import { TaskList } from './task-list.tsx';
import { Timeline } from './timeline.tsx';
import { TrackingSection } from './tracking-section.tsx';
import { UnknownSender } from './unknown-sender.tsx';

export interface SidebarProps {
  host: InboxHost;
  api: SidebarApi;
  store: KeyValueStore;
  /** The clock, for due dates and timestamps; a fixed Date in tests. */
  now?: Date | (() => Date);
  locale?: string;
  /** Shown as a Sign in button when the API says the session is missing or expired; when its promise settles the sidebar loads again. */
  onSignIn?: () => void | Promise<unknown>;
  retryIntervalMs?: number;
  /** How often open opens/clicks are asked for again while the thread has a recent tracked message. */
  trackingRefreshMs?: number;
}

/** A title in the signature of this person's latest message on the thread that has its text. */
function signatureTitleOf(thread: InboxThread, participant: Participant): string | null {
  const email = participant.email.toLowerCase();
  const theirs = thread.messages.filter((m) => m.from.email.toLowerCase() === email && m.bodyText).reverse();
  for (const m of theirs) {
    const title = titleFromSignature(m.bodyText!, participant.name || m.from.name);
    if (title) return title;
  }
  return null;
}

/** Who and what the thread is about, kept in view while the rest scrolls. */
function StickyHeader({ contact, company, deals }: { contact: Contact | undefined; company: Company | undefined; deals: SidebarDeal[] }) {
  if (!contact) return null;
  const deal = deals[0];
  return (
    <div className="crm-sticky" aria-label="This thread">
      <div className="crm-sticky-who">
        <strong>{contactName(contact)}</strong>
        {company && <span className="crm-muted"> · {company.name}</span>}
      </div>
      {deal && (
        <div className="crm-small crm-muted crm-sticky-deal">
          {deal.name} · {deal.stageInfo.name}
          {deals.length > 1 ? ` (+${deals.length - 1} more)` : ''}
        </div>
      )}
    </div>
  );
}

/** The contact the thread is most about: the latest inbound sender we know, else the first contact. */
function primaryContact(context: ThreadContext, thread: InboxThread) {
  const inbound = [...thread.messages].reverse().filter((m) => m.direction === 'inbound');
  for (const m of inbound) {
    const found = context.contacts.find((c) => c.email.toLowerCase() === m.from.email.toLowerCase());
    if (found) return found;
  }
  return context.contacts[0];
}

function ThreadPanel({ model, state, view, now, locale }: { model: SidebarModel; state: SidebarState; view: SidebarView; now: Date; locale: string }) {
  const fold = (section: string) => ({ folded: state.folded.includes(section), onFold: (f: boolean) => void model.setFolded(section, f) });
  // Which add form is open (collapsed until asked for); a new thread starts with none.
  const [adding, setAdding] = useState<'task' | 'note' | null>(null);
  const [addingFor, setAddingFor] = useState(state.thread?.threadId);
  if (addingFor !== state.thread?.threadId) {
    setAddingFor(state.thread?.threadId);
    setAdding(null);
  }
  const context = view.context!;
  const thread = state.thread!;
  const companyOf = (id: string | null) => (id ? context.companies.find((c) => c.id === id) : undefined);
  const unknown = context.unknownEmails.filter((e) => state.emails.includes(e.toLowerCase())).map((e) => participantFor(thread, e.toLowerCase()));
  const primary = primaryContact(context, thread);
  const contactIds = context.contacts.map((c) => c.id);
  const queuedLogs = new Set(state.pending.flatMap((i) => (i.change.kind === 'logEmail' ? [i.change.email.messageId] : [])));
  const submit = (draft: Parameters<SidebarModel['submit']>[0]) => void model.submit(draft);

  return (
    <>
      <StickyHeader contact={primary} company={primary ? companyOf(primary.companyId) : undefined} deals={context.deals} />
      <Section title="People" fold={fold('people')}>
        {context.contacts.map((contact) => (
          <ContactCard
            key={contact.email}
            contact={contact}
            company={companyOf(contact.companyId)}
            userEmail={thread.userEmail}
            pending={view.pendingIds.has(contact.id)}
            autoFocus={state.focusContact === contact.email.toLowerCase()}
          />
        ))}
        {unknown.map((participant) => (
          <UnknownSender
            key={participant.email}
            participant={participant}
            knownCompany={context.companies.find((c) => c.domain?.toLowerCase() === domainOf(participant.email))?.name}
            automated={automatedSenderReason(thread, participant.email)}
            signatureTitle={signatureTitleOf(thread, participant)}
            onCreate={(p, { title }) => submit(createContactDraft(p, context, { title, automated: !!automatedSenderReason(thread, p.email) }))}
          />
        ))}
      </Section>

      <Section title="Open deals" fold={fold('deals')}>
        {context.deals.length === 0 && <p className="crm-muted">No open deals.</p>}
        {context.deals.map((deal: SidebarDeal) => (
          <DealCard
            key={deal.id}
            deal={deal}
            stages={stagesOf(deal, state.pipelines)}
            locale={locale}
            now={now}
            userEmail={thread.userEmail}
            pending={view.pendingIds.has(deal.id)}
            riskUpdating={queuedLogs.size > 0}
            onMove={(stage) => submit(moveDealDraft(deal, stage))}
            onEdit={(patch) => submit(editDealDraft(deal, patch))}
          />
        ))}
        {primary && (
          <CreateDeal
            contact={primary}
            company={companyOf(primary.companyId)}
            suggestedName={suggestedDealName(primary, companyOf(primary.companyId), thread.subject)}
            pipeline={state.pipelines.find((p) => p.isDefault) ?? state.pipelines[0]}
            currency={context.deals[0]?.currency ?? 'USD'}
            locale={locale}
            now={now}
            onCreate={(fields, key) => submit(createDealDraft(primary, companyOf(primary.companyId), fields, key))}
          />
        )}
      </Section>

      <TrackingSection
        tracking={view.tracking}
        contacts={context.contacts}
        nameOf={(email) => participantFor(thread, email).name}
        threadSubject={thread.subject}
        now={now}
        locale={locale}
        fold={fold('tracking')}
      />

      {contactIds.length > 0 && (
        <>
          <TaskList tasks={context.tasks} pendingIds={view.pendingIds} now={now} locale={locale} fold={fold('tasks')} onComplete={(task) => submit(completeTaskDraft(task))} />
          <div className="crm-row">
            {adding !== 'task' && (
              <button type="button" onClick={() => setAdding('task')}>+ Task</button>
            )}
            {adding !== 'note' && (
              <button type="button" onClick={() => setAdding('note')}>+ Note</button>
            )}
          </div>
          {adding === 'task' && (
            <TaskForm
              deals={context.deals}
              lastDealId={state.dealChoice}
              now={now}
              locale={locale}
              onCancel={() => setAdding(null)}
              onAdd={(subject, dueAt, dealIds) => {
                submit(taskDraft(subject, dueAt, contactIds, dealIds));
                if (dealIds[0]) void model.rememberDealChoice(dealIds[0]);
                setAdding(null);
              }}
            />
          )}
          {adding === 'note' && (
            <NoteForm
              deals={context.deals}
              lastDealId={state.dealChoice}
              onCancel={() => setAdding(null)}
              onAdd={(body, dealIds) => {
                submit(noteDraft(body, contactIds, dealIds));
                if (dealIds[0]) void model.rememberDealChoice(dealIds[0]);
                setAdding(null);
              }}
            />
          )}
        </>
      )}

      <Timeline activities={context.activities} pendingIds={view.pendingIds} contacts={context.contacts} userEmail={thread.userEmail} locale={locale} fold={fold('activity')} />
      <LoggingStatus fold={fold('logging')} decisions={view.decisions} logging={state.logging} queued={queuedLogs} context={context} locale={locale} onToggle={(on) => void model.setThreadLogging(on)} />
    </>
  );
}

/** The host-agnostic sidebar. Pass a new `key` to start over with other host/api/store props. */
export function Sidebar({ host, api, store, now, locale = 'en-US', onSignIn, retryIntervalMs, trackingRefreshMs }: SidebarProps) {
  const clock = useMemo(() => (typeof now === 'function' ? now : now ? () => now : () => new Date()), [now]);
  const [model] = useState(() => new SidebarModel({ host, api, store, now: clock, retryIntervalMs, trackingRefreshMs }));
  useEffect(() => model.start(), [model]);
  const state = useSyncExternalStore(model.subscribe, model.getState, model.getState);
  const view = model.view();
  const userChanges = state.pending.filter((i) => i.change.kind !== 'logEmail');
  const fold = (section: string) => ({ folded: state.folded.includes(section), onFold: (f: boolean) => void model.setFolded(section, f) });

  const signIn = onSignIn
    ? () => {
        void Promise.resolve(onSignIn()).then(() => model.signedIn(), () => undefined);
      }
    : undefined;

  let body;
  switch (view.phase) {
    case 'idle':
    case 'empty':
      body = (
        <HomePanel
          api={api}
          now={clock()}
          locale={locale}
          fold={fold}
          message={view.phase === 'idle' ? 'Open an email thread to see who is on it.' : 'No one outside your organization is on this thread, so there is nothing to look up.'}
        />
      );
      break;
    case 'loading':
      body = (
        <div>
          <p className="crm-muted">Loading contacts and deals…</p>
          <div className="crm-skeleton" />
          <div className="crm-skeleton" />
        </div>
      );
      break;
    case 'signed-out':
      body = <SignInPrompt onSignIn={signIn} onRetry={() => void model.signedIn()} />;
      break;
    case 'offline':
      body = <p>This thread has not been loaded on this computer before, so there is nothing to show until the CRM can be reached.</p>;
      break;
    case 'error':
      body = (
        <div className="crm-banner crm-error" role="alert">
          <p>Could not load this thread’s contacts. {describeError(state.loadError!)}</p>
          <div className="crm-row">
            <button type="button" onClick={() => void model.retry()}>Try again</button>
          </div>
        </div>
      );
      break;
    case 'ready':
      body = <ThreadPanel model={model} state={state} view={view} now={clock()} locale={locale} />;
      break;
  }

  return (
    <div className="crm-sidebar" aria-busy={view.phase === 'loading'}>
      <StatusBar
        connection={state.connection}
        pending={userChanges}
        notices={state.notices}
        cachedAt={state.source === 'cache' ? (state.base?.savedAt ?? null) : null}
        refreshing={state.loading && view.phase === 'ready'}
        locale={locale}
        onRetry={() => void model.retry()}
        onDismiss={(id) => model.dismiss(id)}
        onUndo={(id) => void model.undo(id)}
      />
      {body}
    </div>
  );
}
