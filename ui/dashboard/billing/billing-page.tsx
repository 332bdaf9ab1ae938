// Billing, for admins: the plan in effect, trial days left, seats used and paid, the next invoice,
// usage against each limit, upgrade/downgrade (Stripe Checkout, or a prorated switch) and the
// customer portal for cards, invoices and cancellation. With billing off the API says so.
import { useQuery } from '@tanstack/react-query';
import { featureLabels, plans, type PaidPlanId } from '../../../core/billing/plans.ts';
import { call, useApi } from '../api.ts';
import { Badge, Button, ErrorState, Skeleton } from '../shell/ui.tsx';
import { useSettingsMutation } from '../settings/settings-data.ts';
import './billing.css';

export const billingKey = ['billing'] as const;

const money = (minor: number, currency: string) => new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(minor / 100);
const day = (iso: string) => new Date(iso).toLocaleDateString('en-US', { day: 'numeric', month: 'long', year: 'numeric' });

export function BillingSection() {
  const api = useApi();
  const billing = useQuery({ queryKey: billingKey, queryFn: () => call(api.GET('/billing')), retry: false });
  const change = useSettingsMutation((plan: PaidPlanId) => call(api.POST('/billing/checkout', { body: { plan } })), {
    refresh: [billingKey],
    success: (r, plan) => (r.url ? null : `Switched to ${plans[plan].name}`),
    onSuccess: (r) => { if (r.url) window.location.assign(r.url); },
  });
  const portal = useSettingsMutation(() => call(api.POST('/billing/portal')), { refresh: [], onSuccess: (r) => { if (r.url) window.location.assign(r.url); } });
  if (billing.isPending) return <Skeleton lines={6} height={20} />;
  if (billing.isError) return <ErrorState error={billing.error} title="Billing" retry={() => void billing.refetch()} />;
  const b = billing.data;
  const sub = b.subscription;
  const live = sub && ['active', 'trialing', 'past_due'].includes(sub.status);
  return (
    <section className="settings-section billing" aria-labelledby="billing-title">
      <header className="settings-section-header">
        <div>
          <h2 id="billing-title">Billing</h2>
          <p>Your plan, seats and invoices. Payments, cards and cancellation are handled by Stripe.</p>
        </div>
      </header>
      <DunningNotice dunning={b.dunning} />
      <div className="billing-summary">
        <div className="settings-card">
          <h3>Plan</h3>
          <p className="billing-plan">
            {b.planName} {b.trialing && <Badge tone="info">Trial: {b.trialDaysLeft} day{b.trialDaysLeft === 1 ? '' : 's'} left</Badge>}
          </p>
          {b.trialing && b.trialEndsAt && <p className="muted">Every Pro feature until {day(b.trialEndsAt)}; then Free unless you choose a plan. Nothing is deleted.</p>}
          {sub?.cancelAtPeriodEnd && sub.currentPeriodEnd && <p className="muted">Cancelled: ends on {day(sub.currentPeriodEnd)}, then Free.</p>}
        </div>
        <div className="settings-card">
          <h3>Seats</h3>
          <p className="billing-plan">{b.seatsUsed} used{sub?.seatsPaid != null ? ` · ${sub.seatsPaid} paid` : ''}</p>
          <p className="muted">One seat per active member; seats follow your team, prorated.</p>
        </div>
        <div className="settings-card">
          <h3>Next invoice</h3>
          {sub?.nextInvoice ? <p className="billing-plan">{money(sub.nextInvoice.amount, sub.nextInvoice.currency)} on {day(sub.nextInvoice.date)}</p> : <p className="muted">None scheduled</p>}
        </div>
      </div>
      <div className="settings-card">
        <h3>Usage</h3>
        <table className="billing-usage">
          <tbody>
            {b.usage.map((u) => (
              <tr key={u.limit}>
                <th scope="row">{u.label[0]!.toUpperCase() + u.label.slice(1)}</th>
                <td>{u.used.toLocaleString('en-US')} of {u.max === null ? 'unlimited' : u.max.toLocaleString('en-US')}</td>
                <td>{u.max !== null && u.used >= u.max ? <Badge tone="warning">At the limit: new ones are refused</Badge> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">Included: {b.features.map((f) => featureLabels[f]).join(', ')}.</p>
      </div>
      {b.canManage && b.plan !== 'enterprise' && (
        <div className="billing-plans">
          {(['starter', 'pro'] as const).map((id) => {
            const current = live && sub?.plan === id;
            return (
              <div key={id} className={`settings-card${current ? ' billing-current' : ''}`}>
                <h3>{plans[id].name}</h3>
                <p className="muted">{id === 'starter' ? 'Per seat: up to 10,000 contacts, unlimited deals and members, tracking and the sidebar.' : 'Per seat: unlimited everything, CRM sync, workflows, webhooks and Slack, risk settings.'}</p>
                {current ? <Badge tone="success">Your plan</Badge> : (
                  <Button kind="primary" busy={change.isPending && change.variables === id} onClick={() => change.mutate(id)}>
                    {live ? `Switch to ${plans[id].name}` : `Upgrade to ${plans[id].name}`}
                  </Button>
                )}
              </div>
            );
          })}
        </div>
      )}
      {b.canManage && sub && (
        <div>
          <Button busy={portal.isPending} onClick={() => portal.mutate(undefined)}>Manage payment, invoices or cancel</Button>
        </div>
      )}
    </section>
  );
}

export function DunningNotice({ dunning }: { dunning: { status: 'ok' | 'grace' | 'read_only'; readOnlyFrom: string | null } }) {
  if (dunning.status === 'ok') return null;
  return (
    <div className={`banner ${dunning.status === 'read_only' ? 'banner-danger' : 'banner-warning'}`} role="alert">
      {dunning.status === 'read_only'
        ? 'A payment failed and the grace period is over: the organization is read-only until the open invoice is paid. Nothing is lost.'
        : `A payment failed. Update the card before ${dunning.readOnlyFrom ? day(dunning.readOnlyFrom) : 'the grace period ends'}, or the organization becomes read-only.`}
    </div>
  );
}

/** For admins, everywhere in the app: the failed payment, until it is paid. */
export function DunningBanner() {
  const api = useApi();
  const billing = useQuery({ queryKey: billingKey, queryFn: () => call(api.GET('/billing')), retry: false, staleTime: 60_000 });
  if (!billing.data) return null;
  return <DunningNotice dunning={billing.data.dunning} />;
}
