// The stand-in's hosted pages: Checkout (a card form and "Pay") and the customer portal. Plain
// HTML, clearly marked as a test page so nobody mistakes it for Stripe.
type StripeObject = Record<string, any>;

const escape = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const money = (minor: number, currency: string) => new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(minor / 100);

const layout = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font:15px system-ui,sans-serif;max-width:460px;margin:40px auto;color:#1a1f36}
.test{background:#fff3cd;border:1px solid #e0c36a;padding:6px 10px;border-radius:6px;font-size:13px}
label{display:block;margin:14px 0 4px}input{width:100%;padding:8px;font-size:15px;box-sizing:border-box}
button{margin-top:18px;width:100%;padding:10px;background:#635bff;color:#fff;border:0;border-radius:6px;font-size:16px}
table{width:100%;border-collapse:collapse}td{padding:4px 0}</style></head>
<body><p class="test">Stripe stand-in for development and tests: no real payment happens.</p>${body}</body></html>`;

export function checkoutPage({ session, price, quantity }: { session: StripeObject; price: StripeObject; quantity: number }) {
  return layout(
    'Checkout',
    `<h1>Subscribe to ${escape(price.nickname)}</h1>
<p>${quantity} seat${quantity === 1 ? '' : 's'} × ${money(price.unit_amount, price.currency)} a month = <strong>${money(price.unit_amount * quantity, price.currency)}</strong> a month</p>
<form method="post" action="/checkout/${escape(session.id)}/pay">
<label for="card">Card number</label><input id="card" name="card" value="4242 4242 4242 4242" autocomplete="off">
<label for="expiry">Expiry</label><input id="expiry" name="expiry" value="12 / 34">
<label for="cvc">CVC</label><input id="cvc" name="cvc" value="123">
<button type="submit">Pay</button></form>
${session.cancel_url ? `<p><a href="${escape(session.cancel_url)}">Back</a></p>` : ''}`,
  );
}

export function portalPage({ session, subscriptions, invoices }: { session: StripeObject; subscriptions: StripeObject[]; invoices: StripeObject[] }) {
  const subs = subscriptions
    .map((s) => {
      const item = s.items.data[0];
      const cancel = s.status !== 'canceled' && !s.cancel_at_period_end
        ? `<form method="post" action="/portal/${escape(session.id)}/cancel/${escape(s.id)}"><button type="submit">Cancel plan</button></form>`
        : '';
      return `<h2>${escape(item.price.nickname)}</h2><p>${escape(s.status)}${s.cancel_at_period_end ? ', ends at the end of the period' : ''} · ${item.quantity} seats</p>${cancel}`;
    })
    .join('');
  const rows = invoices.map((i) => `<tr><td>${new Date(i.created * 1000).toISOString().slice(0, 10)}</td><td>${money(i.amount_due, i.currency)}</td><td>${escape(i.status)}</td></tr>`).join('');
  return layout(
    'Billing portal',
    `<h1>Billing</h1>${subs || '<p>No subscription.</p>'}<h2>Payment method</h2><p>Visa ending in 4242</p>
<h2>Invoices</h2><table>${rows || '<tr><td>None yet</td></tr>'}</table>
${session.return_url ? `<p><a href="${escape(session.return_url)}">Return to Inbox CRM</a></p>` : ''}`,
  );
}
