// Signing in, signing up (a new organization) and accepting an invitation. Each goes through the
// API's own routes (POST /session, /signup, /invitations/accept), which answer with the session
// and set it as the browser's cookie; the app then reads who it is with GET /me.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { call, chooseOrganization, errorMessage, isApiError, useApi } from '../api.ts';
import { keys } from '../queries.ts';
import { Button, Field } from '../shell/ui.tsx';

/** Outside production the sign-up answer carries the verification link: kept for the banner. */
export const VERIFICATION_LINK_KEY = 'inbox-crm:verification-url';

export function AuthLayout({ title, subtitle, children, footer }: { title: string; subtitle?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  return (
    <main className="auth">
      <div className="auth-card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            <svg viewBox="0 0 32 32" width="28" height="28"><rect width="32" height="32" rx="8" fill="currentColor" /><path d="M8 11.5 16 17l8-5.5M8 10h16v12H8z" fill="none" stroke="#fff" strokeWidth="2.2" strokeLinejoin="round" /></svg>
          </span>
          <span>Inbox CRM</span>
        </div>
        <h1>{title}</h1>
        {subtitle && <p className="auth-subtitle">{subtitle}</p>}
        {children}
      </div>
      {footer && <p className="auth-footer">{footer}</p>}
    </main>
  );
}

export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div className="form-error" role="alert">
      {errorMessage(error)}
    </div>
  );
}

export function SignInPage() {
  const api = useApi();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: () => call(api.POST('/session', { body: { email: email.trim(), password } })),
    onSuccess: async () => {
      chooseOrganization(null);
      await queryClient.resetQueries({ queryKey: keys.me });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate();
  };
  return (
    <AuthLayout title="Sign in" subtitle="Your pipeline, your team's activity and the deals at risk." footer={<>New here? <Link href="/sign-up">Create an organization</Link></>}>
      <form onSubmit={submit} className="form" noValidate>
        <Field label="Email">{(id) => <input id={id} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />}</Field>
        <Field label="Password" hint={<Link href="/forgot-password">Forgot password?</Link>}>
          {(id, d) => <input id={id} aria-describedby={d} type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <FormError error={signIn.error} />
        <Button kind="primary" type="submit" busy={signIn.isPending} className="btn-block">
          Sign in
        </Button>
      </form>
    </AuthLayout>
  );
}

export function SignUpPage() {
  const api = useApi();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const [form, setForm] = useState({ name: '', email: '', password: '', organizationName: '' });
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [field]: e.target.value }));
  const signUp = useMutation({
    mutationFn: () => call(api.POST('/signup', { body: { name: form.name.trim(), email: form.email.trim(), password: form.password, organizationName: form.organizationName.trim() } })),
    onSuccess: async (session) => {
      chooseOrganization(session.organization.id);
      if (session.verificationUrl) window.sessionStorage.setItem(VERIFICATION_LINK_KEY, session.verificationUrl);
      navigate('/');
      await queryClient.resetQueries({ queryKey: keys.me });
    },
  });
  const fieldError = (path: string) => {
    const details = isApiError(signUp.error) ? (signUp.error.details as { path?: string; message?: string }[] | undefined) : undefined;
    const match = Array.isArray(details) ? details.find((d) => d.path === path) : undefined;
    return match?.message ?? null;
  };
  return (
    <AuthLayout title="Create your organization" subtitle="You become its admin; invite your team next." footer={<>Already have an account? <Link href="/">Sign in</Link></>}>
      <form onSubmit={(e) => { e.preventDefault(); signUp.mutate(); }} className="form" noValidate>
        <Field label="Your name" error={fieldError('name')}>{(id, d) => <input id={id} aria-describedby={d} autoComplete="name" value={form.name} onChange={set('name')} autoFocus />}</Field>
        <Field label="Work email" error={fieldError('email')}>{(id, d) => <input id={id} aria-describedby={d} type="email" autoComplete="email" value={form.email} onChange={set('email')} />}</Field>
        <Field label="Password" hint="At least 8 characters." error={fieldError('password')}>
          {(id, d) => <input id={id} aria-describedby={d} type="password" autoComplete="new-password" value={form.password} onChange={set('password')} />}
        </Field>
        <Field label="Organization name" error={fieldError('organizationName')}>{(id, d) => <input id={id} aria-describedby={d} autoComplete="organization" value={form.organizationName} onChange={set('organizationName')} />}</Field>
        <FormError error={signUp.error} />
        <Button kind="primary" type="submit" busy={signUp.isPending} className="btn-block">
          Create organization
        </Button>
      </form>
    </AuthLayout>
  );
}

export function AcceptInvitationPage({ signedInAs }: { signedInAs?: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const token = new URLSearchParams(useSearch()).get('token') ?? '';
  const [hasAccount, setHasAccount] = useState(false);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const accept = useMutation({
    mutationFn: () => call(api.POST('/invitations/accept', { body: { token, password, ...(hasAccount ? {} : { name: name.trim() }) } })),
    onSuccess: async (session) => {
      chooseOrganization(session.organization.id);
      navigate('/');
      // Everything cached belonged to whoever was here before (or to nobody): reset, not clear, so
      // the mounted observers of /me refetch and the app opens signed in.
      await queryClient.resetQueries();
    },
  });
  if (!token) {
    return (
      <AuthLayout title="This invitation link is incomplete" footer={<Link href="/">Go to sign in</Link>}>
        <p>Open the link exactly as your admin sent it, or ask them for a new one.</p>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title="Join your team" subtitle={signedInAs ? <>You are signed in as {signedInAs}; accepting signs you in as the invited person.</> : 'You were invited to an organization on Inbox CRM.'}>
      <form onSubmit={(e) => { e.preventDefault(); accept.mutate(); }} className="form" noValidate>
        <div className="segmented" role="radiogroup" aria-label="Account">
          <label className={!hasAccount ? 'active' : ''}>
            <input type="radio" name="account" checked={!hasAccount} onChange={() => setHasAccount(false)} /> New account
          </label>
          <label className={hasAccount ? 'active' : ''}>
            <input type="radio" name="account" checked={hasAccount} onChange={() => setHasAccount(true)} /> I already have one
          </label>
        </div>
        {!hasAccount && <Field label="Your name">{(id) => <input id={id} autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />}</Field>}
        <Field label={hasAccount ? 'Your password' : 'Choose a password'} hint={hasAccount ? undefined : 'At least 8 characters.'}>
          {(id, d) => <input id={id} aria-describedby={d} type="password" autoComplete={hasAccount ? 'current-password' : 'new-password'} value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <FormError error={accept.error} />
        <Button kind="primary" type="submit" busy={accept.isPending} className="btn-block">
          Accept invitation
        </Button>
      </form>
    </AuthLayout>
  );
}
