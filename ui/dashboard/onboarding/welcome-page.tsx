// /welcome: onboarding right after sign-up, five steps, each skippable and resumable (the state is
// the organization's, on the server: GET/PATCH /onboarding). Steps count as done by what the
// organization has (records, a CRM connection, invitations, logged emails) or by an admin's mark.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { stepTitles } from '../../../core/onboarding/checklist.ts';
import { call, errorMessage, isApiError, useApi } from '../api.ts';
import { usePipelines } from '../queries.ts';
import { useSession } from '../session.tsx';
import { roleLabels, roles } from '../settings/settings-data.ts';
import { Icon } from '../shell/icons.tsx';
import { Badge, Button, ErrorState, PageHeader, Skeleton, useToast } from '../shell/ui.tsx';
import { useOnboarding, useOnboardingActions, type OnboardingState, type StepId } from './onboarding-queries.ts';
import './onboarding.css';

type Step = OnboardingState['steps'][number];

export function WelcomePage() {
  const { isAdmin } = useSession();
  const state = useOnboarding();
  if (!isAdmin) {
    return (
      <div className="page page-narrow">
        <PageHeader title="Welcome" subtitle="An admin of your organization sets it up; your pipeline is on the board." />
        <Link href="/board" className="btn btn-primary">Open the pipeline</Link>
      </div>
    );
  }
  if (state.isPending) return <div className="page page-narrow"><Skeleton lines={10} /></div>;
  if (state.isError) return <div className="page page-narrow"><ErrorState error={state.error} retry={() => void state.refetch()} /></div>;
  const s = state.data;
  const step = (id: StepId) => s.steps.find((x) => x.id === id)!;
  return (
    <div className="page page-narrow welcome-page">
      <PageHeader
        title="Welcome to Inbox CRM"
        subtitle={s.complete ? 'You are all set. Come back here any time from the home page.' : `${s.remaining} of ${s.steps.length} steps left. Skip any step and come back later: your progress is saved for the whole organization.`}
        actions={<Link href="/welcome/insights" className="btn btn-primary">See your first insights</Link>}
      />
      <DataStep step={step('data')} state={s} />
      <PipelineStep step={step('pipeline')} />
      <TeamStep step={step('team')} />
      <ExtensionStep step={step('extension')} />
      <InsightsStep step={step('insights')} />
      <p className="muted small">
        {s.dismissed ? 'The checklist is hidden from the home page.' : 'The checklist also shows on the home page until every step is done or skipped.'}{' '}
        <StepButton patchBody={{ dismissed: !s.dismissed }}>{s.dismissed ? 'Show it again' : 'Hide it'}</StepButton>
      </p>
    </div>
  );
}

function StepButton({ patchBody, children, kind = 'ghost' }: { patchBody: Parameters<ReturnType<typeof useOnboardingActions>['patch']['mutate']>[0]; children: React.ReactNode; kind?: 'ghost' | 'secondary' | 'primary' }) {
  const { patch } = useOnboardingActions();
  return <Button kind={kind} busy={patch.isPending} onClick={() => patch.mutate(patchBody)}>{children}</Button>;
}

function StepCard({ step, number, children }: { step: Step; number: number; children: React.ReactNode }) {
  const badge = step.status === 'done' ? <Badge tone="success">Done</Badge> : step.status === 'skipped' ? <Badge tone="neutral">Skipped</Badge> : <Badge tone="info">To do</Badge>;
  return (
    <section id={step.id} className={`card-panel welcome-step is-${step.status}`} aria-labelledby={`${step.id}-title`}>
      <header>
        <h2 id={`${step.id}-title`}><span className="step-number">{number}</span>{stepTitles[step.id]}</h2>
        {badge}
      </header>
      {step.doneBecause && <p className="small done-because"><Icon name="check" size={14} /> {step.doneBecause}</p>}
      {children}
      <footer className="step-actions">
        {step.status === 'todo' && !step.doneBecause && <StepButton patchBody={{ steps: { [step.id]: 'done' } }} kind="secondary">Mark as done</StepButton>}
        {step.status === 'todo' && <StepButton patchBody={{ steps: { [step.id]: 'skipped' } }}>Skip for now</StepButton>}
        {step.status !== 'todo' && !step.doneBecause && <StepButton patchBody={{ steps: { [step.id]: 'todo' } }}>Back to do</StepButton>}
      </footer>
    </section>
  );
}

function DataStep({ step, state }: { step: Step; state: OnboardingState }) {
  const api = useApi();
  const toast = useToast();
  const { loadSample, removeSample } = useOnboardingActions();
  // Which CRMs this server can connect (OAuth app configured, or the sandbox in development).
  const providers = useQuery({ queryKey: ['crm', 'providers'], retry: false, queryFn: async () => (await call(api.GET('/crm/providers'))).data });
  const [connecting, setConnecting] = useState<string | null>(null);
  const connect = async (provider: 'salesforce' | 'hubspot', sandbox: boolean) => {
    setConnecting(provider);
    try {
      const started = await call(api.POST('/crm/oauth/start', { body: { provider, sandbox } }));
      window.location.assign(started.authorizationUrl);
    } catch (err) {
      toast(errorMessage(err), 'error');
      setConnecting(null);
    }
  };
  const connectable = (providers.data ?? []).filter((p) => p.oauth || p.sandbox);
  return (
    <StepCard step={step} number={1}>
      <p>Start from what you already have, or look around with sample data first.</p>
      <div className="choice-grid">
        <div className="choice">
          <h3><Icon name="link" size={16} /> Connect your CRM</h3>
          <p className="small muted">Salesforce or HubSpot: companies, contacts and deals come in and stay in sync.</p>
          {providers.isPending ? <Skeleton lines={1} /> : providers.isError ? (
            <p className="small muted">{isApiError(providers.error) && providers.error.status === 503 ? 'CRM connections are not set up on this server.' : errorMessage(providers.error)}</p>
          ) : connectable.length === 0 ? (
            <p className="small muted">No CRM app is configured on this server yet (see README: CRM connections).</p>
          ) : (
            <div className="button-row">
              {connectable.map((p) => (
                <Button key={p.provider} busy={connecting === p.provider} onClick={() => void connect(p.provider, !p.oauth && p.sandbox)}>
                  Connect {p.label}{!p.oauth && p.sandbox ? ' (sandbox)' : ''}
                </Button>
              ))}
            </div>
          )}
          {state.facts.crmConnected && <p className="small"><Badge tone="success">Connected</Badge></p>}
        </div>
        <div className="choice">
          <h3><Icon name="download" size={16} /> Import a CSV</h3>
          <p className="small muted">Exports from HubSpot, Salesforce, Pipedrive or a spreadsheet: columns are matched for you.</p>
          <Link href="/import" className="btn btn-secondary">Import a CSV file</Link>
        </div>
        <div className="choice">
          <h3><Icon name="board" size={16} /> Start with sample data</h3>
          {state.sampleData.loaded ? (
            <>
              <p className="small">{state.sampleData.records} sample records are loaded, each marked “(Sample)”. Remove them in one click when your own data is in; any you edited stay.</p>
              <Button kind="danger" icon="trash" busy={removeSample.isPending} onClick={() => removeSample.mutate()}>Remove sample data</Button>
            </>
          ) : (
            <>
              <p className="small muted">Five companies, ten people and eleven deals with their emails and calls, clearly marked “(Sample)”. Removable in one click.</p>
              <Button kind="primary" busy={loadSample.isPending} onClick={() => loadSample.mutate()}>Load sample data</Button>
            </>
          )}
        </div>
      </div>
    </StepCard>
  );
}

function PipelineStep({ step }: { step: Step }) {
  const pipelines = usePipelines();
  const pipeline = pipelines.data?.find((p) => p.isDefault) ?? pipelines.data?.[0];
  return (
    <StepCard step={step} number={2}>
      <p>Deals move through these stages. Rename, reorder or add stages so they match how your team sells, and set each stage’s probability; imported and synced deals are mapped to them by name, owners by email.</p>
      {pipeline ? (
        <ol className="stage-chips" aria-label={`Stages of ${pipeline.name}`}>
          {pipeline.stages.map((st) => <li key={st.id}>{st.name} <span className="muted small">{st.defaultProbability}%</span></li>)}
        </ol>
      ) : <Skeleton lines={1} />}
      <p><Link href="/settings/pipelines">Edit stages in Settings → Pipelines</Link> · <Link href="/settings/members">Members and their roles</Link></p>
    </StepCard>
  );
}

function TeamStep({ step }: { step: Step }) {
  const api = useApi();
  const toast = useToast();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<(typeof roles)[number]>('rep');
  const [busy, setBusy] = useState(false);
  const { patch } = useOnboardingActions();
  const invite = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await call(api.POST('/invitations', { body: { email: email.trim(), role } }));
      toast(`Invitation sent to ${email.trim()}.`, 'success');
      setEmail('');
      // The step follows the invitations: refresh the checklist.
      patch.mutate({});
    } catch (err) {
      toast(errorMessage(err), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <StepCard step={step} number={3}>
      <p>Invite the people who sell with you. Each gets an email with a link to join.</p>
      <form className="invite-row" onSubmit={(e) => void invite(e)}>
        <label className="sr-only" htmlFor="welcome-invite-email">Email</label>
        <input id="welcome-invite-email" type="email" required placeholder="name@company.com" value={email} onChange={(e) => setEmail(e.target.value)} />
        <label className="sr-only" htmlFor="welcome-invite-role">Role</label>
        <select id="welcome-invite-role" value={role} onChange={(e) => setRole(e.target.value as (typeof roles)[number])}>
          {roles.map((r) => <option key={r} value={r}>{roleLabels[r]}</option>)}
        </select>
        <Button type="submit" kind="primary" busy={busy}>Invite</Button>
      </form>
      <p className="small"><Link href="/settings/invitations">All invitations</Link></p>
    </StepCard>
  );
}

function ExtensionStep({ step }: { step: Step }) {
  const manifestUrl = `${window.location.origin}/outlook/manifest.xml`;
  return (
    <StepCard step={step} number={4}>
      <p>Log emails, see a sender’s deals and track opens without leaving the inbox.</p>
      <div className="choice-grid two">
        <div className="choice">
          <h3><Icon name="mail" size={16} /> Gmail: the Chrome extension</h3>
          <ol className="small steps-list">
            <li>Get the extension folder from your admin (built with <code>npm run build:ext</code>: <code>dist/extension/chrome-mv3</code>).</li>
            <li>In Chrome open <code>chrome://extensions</code>, switch on <strong>Developer mode</strong>, press <strong>Load unpacked</strong> and pick that folder.</li>
            <li>Open Gmail, then an email: the sidebar appears on the right. Sign in with this account.</li>
          </ol>
        </div>
        <div className="choice">
          <h3><Icon name="mail" size={16} /> Outlook: the add-in</h3>
          <ol className="small steps-list">
            <li>Download the manifest: <a href={manifestUrl} download>manifest.xml</a> (the same file <code>npm run outlook:manifest</code> writes).</li>
            <li>In Outlook on the web open <strong>Get Add-ins → My add-ins → Add a custom add-in → Add from file</strong> and pick it.</li>
            <li>Open an email and press <strong>Inbox CRM</strong> in the toolbar.</li>
          </ol>
        </div>
      </div>
      <p className="small muted">This step completes by itself once an email is logged from Gmail or Outlook.</p>
    </StepCard>
  );
}

function InsightsStep({ step }: { step: Step }) {
  return (
    <StepCard step={step} number={5}>
      <p>Your pipeline by stage, the deals at risk with the reasons, and the forecast for this month and next, from the data you brought in.</p>
      <Link href="/welcome/insights" className="btn btn-primary">See your first insights</Link>
    </StepCard>
  );
}
