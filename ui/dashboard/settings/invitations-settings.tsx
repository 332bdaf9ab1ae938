// Invitations (admins): invite an address with a role, copy the link to send it (until the CRM
// sends email itself), make a new link for an open invitation (only a hash of each link is kept,
// so an old one cannot be shown again), revoke.
import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { call, errorMessage, useApi } from '../api.ts';
import { day, relativeDay } from '../format.ts';
import { keys } from '../queries.ts';
import { Badge, Button, EmptyState, ErrorState, Field, Skeleton, useToast } from '../shell/ui.tsx';
import type { Invitation, Role } from '../types.ts';
import { roleHints, roleLabels, roles, settingsKeys, useSettingsMutation } from './settings-data.ts';

export function CopyLink({ url, label }: { url: string; label: string }) {
  const toast = useToast();
  const [copied, setCopied] = useState(false);
  return (
    <div className="copy-link">
      <input readOnly value={url} aria-label={label} onFocus={(e) => e.currentTarget.select()} />
      <Button
        icon={copied ? 'check' : 'copy'}
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(url);
            setCopied(true);
            toast('Link copied', 'success');
          } catch {
            toast('Your browser did not allow copying: select the link and copy it yourself.', 'error');
          }
        }}
      >
        {copied ? 'Copied' : 'Copy link'}
      </Button>
    </div>
  );
}

const statusOf = (i: Invitation, now: number) => (i.acceptedAt ? 'accepted' : Date.parse(i.expiresAt) < now ? 'expired' : 'open');

export function InviteForm({ onInvited }: { onInvited: (invitation: Invitation) => void }) {
  const api = useApi();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('rep');
  const [error, setError] = useState<string | null>(null);
  const hintId = useId();
  const invite = useSettingsMutation((v: { email: string; role: Role }) => call(api.POST('/invitations', { body: v })), {
    refresh: [settingsKeys.invitations, keys.members],
    onSuccess: (invitation) => {
      setEmail('');
      onInvited(invitation);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const address = email.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) {
      setError('Enter an email address, like ana@example.com');
      return;
    }
    invite.mutate({ email: address, role }, { onError: (err) => setError(errorMessage(err)) });
  };
  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label="Invite someone">
      <Field label="Email address" error={error}>
        {(id, describedBy) => (
          <input id={id} type="email" autoComplete="off" placeholder="ana@example.com" value={email} aria-describedby={describedBy} aria-invalid={!!error || undefined} onChange={(e) => setEmail(e.target.value)} />
        )}
      </Field>
      <Field label="Role">
        {(id) => (
          <select id={id} value={role} aria-describedby={hintId} onChange={(e) => setRole(e.target.value as Role)}>
            {roles.map((r) => (
              <option key={r} value={r}>{roleLabels[r]}</option>
            ))}
          </select>
        )}
      </Field>
      <Button kind="primary" type="submit" icon="plus" busy={invite.isPending}>Invite</Button>
      <p className="form-note" id={hintId}>{roleLabels[role]}: {roleHints[role].toLowerCase()}.</p>
    </form>
  );
}

export function InvitationsSettings() {
  const api = useApi();
  const invitations = useQuery({ queryKey: settingsKeys.invitations, queryFn: async () => (await call(api.GET('/invitations'))).data });
  // The link of the invitation just made (or renewed): shown once, like the API answers it once.
  const [fresh, setFresh] = useState<Invitation | null>(null);
  const renew = useSettingsMutation((i: Invitation) => call(api.POST('/invitations/{id}/link', { params: { path: { id: i.id } } })), {
    refresh: [settingsKeys.invitations],
    success: (_r, i) => `A new link for ${i.email}; the old one no longer works`,
    onSuccess: (i) => setFresh(i),
  });
  const revoke = useSettingsMutation((i: Invitation) => call(api.DELETE('/invitations/{id}', { params: { path: { id: i.id } } })), {
    refresh: [settingsKeys.invitations],
    success: (_r, i) => `The invitation for ${i.email} was revoked`,
    onSuccess: (_r, i) => setFresh((f) => (f?.id === i.id ? null : f)),
  });
  const now = Date.now();
  return (
    <section className="settings-section" aria-labelledby="invitations-title">
      <header className="settings-section-header">
        <div>
          <h2 id="invitations-title">Invitations</h2>
          <p>Invite someone with the role they will have. Send them the link; it works once, for 7 days.</p>
        </div>
      </header>
      <InviteForm onInvited={setFresh} />
      {fresh?.inviteUrl && (
        <div className="callout callout-success" role="status">
          <strong>Send this link to {fresh.email}</strong>
          <p>It is shown only now. Lost it? Make a new link below.</p>
          <CopyLink url={fresh.inviteUrl} label={`Invitation link for ${fresh.email}`} />
        </div>
      )}
      {invitations.isPending ? (
        <Skeleton lines={4} height={20} />
      ) : invitations.isError ? (
        <ErrorState error={invitations.error} retry={() => void invitations.refetch()} />
      ) : invitations.data.length === 0 ? (
        <EmptyState title="No invitations yet" icon="mail">Invite your first teammate with the form above.</EmptyState>
      ) : (
        <table className="settings-table">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {invitations.data.map((i) => {
              const status = statusOf(i, now);
              return (
                <tr key={i.id} className={status === 'open' ? undefined : 'row-muted'}>
                  <th scope="row">{i.email}</th>
                  <td>{roleLabels[i.role]}</td>
                  <td>
                    {status === 'accepted' ? (
                      <Badge tone="success">Accepted {day(i.acceptedAt!.slice(0, 10))}</Badge>
                    ) : status === 'expired' ? (
                      <Badge tone="warning">Expired {relativeDay(i.expiresAt)}</Badge>
                    ) : (
                      <Badge tone="info">Open, expires {relativeDay(i.expiresAt)}</Badge>
                    )}
                  </td>
                  <td className="actions">
                    {status !== 'accepted' && (
                      <>
                        <Button icon="link" busy={renew.isPending && renew.variables?.id === i.id} onClick={() => renew.mutate(i)}>New link</Button>
                        <Button kind="ghost" busy={revoke.isPending && revoke.variables?.id === i.id} onClick={() => revoke.mutate(i)}>Revoke</Button>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
