// The checklist on the home page: what is left of the onboarding, until it is complete or put away.
// A new organization's admin who has done nothing yet is taken to the welcome page, once per
// browser session (so "Home" still leads home after they looked at it).
import { useEffect } from 'react';
import { Link, useLocation } from 'wouter';
import { stepTitles } from '../../../core/onboarding/checklist.ts';
import { useSession } from '../session.tsx';
import { Icon } from '../shell/icons.tsx';
import { Button } from '../shell/ui.tsx';
import { useOnboarding, useOnboardingActions } from './onboarding-queries.ts';
import './onboarding.css';

export function OnboardingChecklist() {
  const { isAdmin } = useSession();
  const state = useOnboarding();
  const { patch } = useOnboardingActions();
  const [, navigate] = useLocation();
  const untouched = !!state.data?.showWelcome && state.data.steps.every((s) => s.status === 'todo');
  useEffect(() => {
    if (!isAdmin || !untouched || welcomeShownThisSession()) return;
    rememberWelcomeShown();
    navigate('/welcome', { replace: true });
  }, [isAdmin, untouched, navigate]);
  if (!isAdmin || !state.data || state.data.complete || state.data.dismissed) return null;
  const { steps, remaining } = state.data;
  return (
    <section className="card-panel onboarding-checklist" aria-label="Getting started">
      <header>
        <h2>Getting started: {remaining} of {steps.length} steps left</h2>
        <Button kind="ghost" onClick={() => patch.mutate({ dismissed: true })}>Hide</Button>
      </header>
      <ol className="checklist">
        {steps.map((s) => (
          <li key={s.id} className={`checklist-item is-${s.status}`}>
            <Icon name={s.status === 'done' ? 'check' : s.status === 'skipped' ? 'close' : 'stage'} size={16} />
            <Link href={`/welcome#${s.id}`}>{stepTitles[s.id]}</Link>
            {s.status !== 'todo' && <span className="muted small"> · {s.status === 'done' ? (s.doneBecause ?? 'done') : 'skipped'}</span>}
          </li>
        ))}
      </ol>
      <Link href="/welcome" className="btn btn-primary">Continue setting up</Link>
    </section>
  );
}

const WELCOME_KEY = 'inbox-crm:welcome-shown';

function welcomeShownThisSession(): boolean {
  try {
    return window.sessionStorage.getItem(WELCOME_KEY) === '1';
  } catch {
    return false;
  }
}

export function rememberWelcomeShown() {
  try {
    window.sessionStorage.setItem(WELCOME_KEY, '1');
  } catch {
    /* private mode: the redirect may happen again this session */
  }
}
