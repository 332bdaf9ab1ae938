// The app's routes (wouter, under /app): who is signed in decides between the sign-in pages and the
// signed-in app. Every page's state that matters (filters, the open deal, the search) is in its URL,
// so it can be bookmarked and shared. Reports and settings are their own chunks, loaded when opened
// (chart.js stays out of the first page's JavaScript).
import { lazy, Suspense, type ReactNode } from 'react';
import { Redirect, Route, Router, Switch } from 'wouter';
import { isApiError } from './api.ts';
import { AcceptInvitationPage, SignInPage, SignUpPage } from './auth/auth-pages.tsx';
import { ForgotPasswordPage, ResetPasswordPage } from './auth/password-reset-pages.tsx';
import { BoardPage } from './board/board-page.tsx';
import { DealPage } from './deals/deal-page.tsx';
import { HomePage } from './home/home-page.tsx';
import { ImportPage } from './import/import-page.tsx';
import { CompaniesPage, CompanyPage } from './records/companies-page.tsx';
import { ContactPage, ContactsPage } from './records/contacts-page.tsx';
import { SessionProvider, useMe } from './session.tsx';
import { AppShell } from './shell/app-shell.tsx';
import { ErrorState, PageSkeleton } from './shell/ui.tsx';

const ReportsPage = lazy(() => import('./reports/reports-page.tsx').then((m) => ({ default: m.ReportsPage })));
const SettingsPage = lazy(() => import('./settings/settings-page.tsx').then((m) => ({ default: m.SettingsPage })));
const WelcomePage = lazy(() => import('./onboarding/welcome-page.tsx').then((m) => ({ default: m.WelcomePage })));
const InsightsPage = lazy(() => import('./onboarding/insights-page.tsx').then((m) => ({ default: m.InsightsPage })));

export const APP_BASE = '/app';

function SignedIn({ children }: { children: ReactNode }) {
  return <Suspense fallback={<PageSkeleton />}>{children}</Suspense>;
}

function SignedInRoutes() {
  return (
    <AppShell>
      <SignedIn>
        <Switch>
          <Route path="/" component={HomePage} />
          <Route path="/board" component={BoardPage} />
          <Route path="/deals/:id">{(p) => <DealPage id={p.id} />}</Route>
          <Route path="/contacts" component={ContactsPage} />
          <Route path="/contacts/:id">{(p) => <ContactPage id={p.id} />}</Route>
          <Route path="/companies" component={CompaniesPage} />
          <Route path="/companies/:id">{(p) => <CompanyPage id={p.id} />}</Route>
          <Route path="/reports" component={ReportsPage} />
          <Route path="/import" component={ImportPage} />
          <Route path="/welcome" component={WelcomePage} />
          <Route path="/welcome/insights" component={InsightsPage} />
          <Route path="/settings" nest>
            <SettingsPage />
          </Route>
          <Route path="/sign-up">
            <Redirect to="/" />
          </Route>
          <Route>
            <ErrorState title="Page not found" error={new Error('There is nothing at this address. Use the menu to find your way.')} />
          </Route>
        </Switch>
      </SignedIn>
    </AppShell>
  );
}

function Routes() {
  const me = useMe();
  if (me.isPending) return <PageSkeleton full />;
  const signedOut = me.isError && isApiError(me.error) && (me.error.code === 'UNAUTHENTICATED' || me.error.code === 'FORBIDDEN');
  if (me.isError && !signedOut) {
    return (
      <main className="auth">
        <ErrorState error={me.error} retry={() => void me.refetch()} title="Inbox CRM could not be reached" />
      </main>
    );
  }
  return (
    <Switch>
      <Route path="/invite">
        <AcceptInvitationPage signedInAs={me.data?.user.email} />
      </Route>
      <Route path="/reset-password" component={ResetPasswordPage} />
      {me.data ? (
        <Route>
          <SessionProvider me={me.data}>
            <SignedInRoutes />
          </SessionProvider>
        </Route>
      ) : (
        <>
          <Route path="/sign-up" component={SignUpPage} />
          <Route path="/forgot-password" component={ForgotPasswordPage} />
          <Route component={SignInPage} />
        </>
      )}
    </Switch>
  );
}

export function App() {
  return (
    <Router base={APP_BASE}>
      <Routes />
    </Router>
  );
}
