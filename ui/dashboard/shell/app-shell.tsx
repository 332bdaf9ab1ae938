// The frame around every signed-in page: navigation, the organization switcher, who is signed in,
// and the banners that say what is wrong right now (offline, live updates lost, email not verified).
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { VERIFICATION_LINK_KEY } from '../auth/auth-pages.tsx';
import { call, errorMessage, useApi } from '../api.ts';
import { useLiveUpdates, type LiveStatus } from '../live.ts';
import { useSession } from '../session.tsx';
import { DunningBanner } from '../billing/billing-page.tsx';
import { Icon, type IconName } from './icons.tsx';
import { Avatar, Button } from './ui.tsx';

const roleNames = { admin: 'Admin', manager: 'Manager', rep: 'Sales rep', readonly: 'Read-only' } as const;

function useOnline() {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

function NavLink({ href, icon, children }: { href: string; icon: IconName; children: ReactNode }) {
  const [location] = useLocation();
  const active = href === '/' ? location === '/' : location === href || location.startsWith(`${href}/`) || (href === '/board' && location.startsWith('/deals'));
  return (
    <Link href={href} className={`nav-link${active ? ' active' : ''}`} aria-current={active ? 'page' : undefined}>
      <Icon name={icon} />
      <span className="nav-label">{children}</span>
    </Link>
  );
}

function LiveBadge({ status }: { status: LiveStatus }) {
  const text = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', off: 'Live updates off' }[status];
  return (
    <span className={`live-badge live-${status}`} role="status" title={status === 'live' ? 'Changes made anywhere show here within seconds' : 'Changes made elsewhere will show after reconnecting'}>
      <span className="live-dot" aria-hidden="true" />
      <span className="nav-label">{text}</span>
    </span>
  );
}

function VerificationBanner({ email }: { email: string }) {
  const api = useApi();
  const [link, setLink] = useState(() => window.sessionStorage.getItem(VERIFICATION_LINK_KEY));
  const resend = useMutation({
    mutationFn: () => call(api.POST('/me/verification')),
    onSuccess: (answer) => {
      if (answer.verificationUrl) {
        window.sessionStorage.setItem(VERIFICATION_LINK_KEY, answer.verificationUrl);
        setLink(answer.verificationUrl);
      }
    },
  });
  // better-auth verifies the address, then sends the browser back to the app.
  const verifyHref = link ? `${link}${link.includes('?') ? '&' : '?'}callbackURL=${encodeURIComponent('/app/?verified=1')}` : null;
  return (
    <div className="banner banner-warning" role="region" aria-label="Email verification">
      <Icon name="mail" />
      <span>
        Verify <strong>{email}</strong> so you can be added to other organizations and get notifications by email.
        {resend.isSuccess && !resend.data.verificationUrl && ' A new link was sent.'}
        {resend.isError && ` ${errorMessage(resend.error)}`}
      </span>
      {verifyHref && (
        <a className="btn btn-secondary" href={verifyHref}>
          Verify now
        </a>
      )}
      <Button kind="ghost" busy={resend.isPending} onClick={() => resend.mutate()}>
        Send a new link
      </Button>
    </div>
  );
}

export function AppShell({ children }: { children: ReactNode }) {
  const { me, isAdmin, switchOrganization, signOut } = useSession();
  const live = useLiveUpdates(me.organization.id);
  const online = useOnline();
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Main">
        <Link href="/" className="brand" aria-label="Inbox CRM home">
          <span className="brand-mark" aria-hidden="true">
            <svg viewBox="0 0 32 32" width="26" height="26"><rect width="32" height="32" rx="8" fill="currentColor" /><path d="M8 11.5 16 17l8-5.5M8 10h16v12H8z" fill="none" stroke="#fff" strokeWidth="2.2" strokeLinejoin="round" /></svg>
          </span>
          <span className="nav-label">Inbox CRM</span>
        </Link>
        <div className="nav-links">
          <NavLink href="/" icon="home">Home</NavLink>
          <NavLink href="/board" icon="board">Pipeline</NavLink>
          <NavLink href="/contacts" icon="contacts">Contacts</NavLink>
          <NavLink href="/companies" icon="companies">Companies</NavLink>
          <NavLink href="/reports" icon="reports">Reports</NavLink>
          {(me.role === 'admin' || me.role === 'manager') && <NavLink href="/import" icon="download">Import</NavLink>}
          <NavLink href="/settings" icon="settings">{isAdmin ? 'Settings' : 'Your settings'}</NavLink>
        </div>
        <div className="sidebar-foot">
          <LiveBadge status={live} />
          {me.organizations.length > 1 ? (
            <label className="org-switch">
              <span className="nav-label">Organization</span>
              <select value={me.organization.id} onChange={(e) => switchOrganization(e.target.value)} aria-label="Organization">
                {me.organizations.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <div className="org-name nav-label" title="Organization">{me.organization.name}</div>
          )}
          <div className="me">
            <Avatar name={me.user.name} size={28} />
            <div className="nav-label me-text">
              <strong>{me.user.name}</strong>
              <span>{roleNames[me.role]}</span>
            </div>
            <button type="button" className="icon-btn" aria-label="Sign out" title="Sign out" onClick={() => void signOut()}>
              <Icon name="signOut" size={16} />
            </button>
          </div>
        </div>
      </nav>
      <div className="main-col">
        {!online && (
          <div className="banner banner-danger" role="alert">
            <Icon name="offline" />
            <span>You are offline. What you see may be out of date, and changes cannot be saved until the connection is back.</span>
          </div>
        )}
        {me.emailVerified === false && <VerificationBanner email={me.user.email} />}
        {isAdmin && <DunningBanner />}
        <main id="main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
