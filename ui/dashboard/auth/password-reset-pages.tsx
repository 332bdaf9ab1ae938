// A forgotten password: ask for a link by email (better-auth's /api/auth/request-password-reset,
// which mails it through our queue and answers the same whether or not the address has an
// account), then choose a new password on the page the link opens (/api/auth/reset-password).
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearch } from 'wouter';
import { Button, Field } from '../shell/ui.tsx';
import { AuthLayout, FormError } from './auth-pages.tsx';

/** better-auth's own endpoints answer `{ code, message }` on failure. */
async function authPost(path: string, body: object): Promise<void> {
  const res = await fetch(`/api/auth${path}`, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.ok) return;
  const answer = (await res.json().catch(() => null)) as { code?: string; message?: string; error?: { message?: string } } | null;
  if (answer?.code === 'INVALID_TOKEN') throw new Error('This link has expired or was already used. Ask for a new one.');
  throw new Error(answer?.message ?? answer?.error?.message ?? `The request failed (${res.status}). Try again.`);
}

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const request = useMutation({ mutationFn: () => authPost('/request-password-reset', { email: email.trim() }) });
  if (request.isSuccess) {
    return (
      <AuthLayout title="Check your email" footer={<Link href="/">Back to sign in</Link>}>
        <p>If {email.trim()} has an account, a link to choose a new password is on its way. It works for one hour.</p>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title="Forgot your password?" subtitle="We will email you a link to choose a new one." footer={<Link href="/">Back to sign in</Link>}>
      <form onSubmit={(e) => { e.preventDefault(); request.mutate(); }} className="form" noValidate>
        <Field label="Email">{(id) => <input id={id} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />}</Field>
        <FormError error={request.error} />
        <Button kind="primary" type="submit" busy={request.isPending} className="btn-block">
          Email me a link
        </Button>
      </form>
    </AuthLayout>
  );
}

export function ResetPasswordPage() {
  const token = new URLSearchParams(useSearch()).get('token') ?? '';
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const reset = useMutation({ mutationFn: () => authPost('/reset-password', { token, newPassword: password }) });
  if (!token) {
    return (
      <AuthLayout title="This reset link is incomplete" footer={<Link href="/forgot-password">Ask for a new link</Link>}>
        <p>Open the link exactly as it is in the email, or ask for a new one.</p>
      </AuthLayout>
    );
  }
  if (reset.isSuccess) {
    return (
      <AuthLayout title="Your password is changed" footer={<Link href="/">Sign in</Link>}>
        <p>Sign in with your new password. Everywhere you were signed in before, you are signed out.</p>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title="Choose a new password" footer={<Link href="/">Back to sign in</Link>}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setMismatch(password !== again);
          if (password === again) reset.mutate();
        }}
        className="form"
        noValidate
      >
        <Field label="New password" hint="At least 8 characters.">
          {(id, d) => <input id={id} aria-describedby={d} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} autoFocus />}
        </Field>
        <Field label="The same again" error={mismatch ? 'The two passwords differ' : null}>
          {(id, d) => <input id={id} aria-describedby={d} type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} />}
        </Field>
        <FormError error={reset.error} />
        <Button kind="primary" type="submit" busy={reset.isPending} className="btn-block">
          Change my password
        </Button>
      </form>
    </AuthLayout>
  );
}
