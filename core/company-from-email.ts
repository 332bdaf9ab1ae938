// The company an email address says someone works for, only when it looks like one: not for
// personal mail (gmail.com), not for mailing lists and machines (a newsletter's "Pipelineletter" is
// no company to sell to), not for mail platforms' sending domains. Pure.
import { domainOf, isFreeMailDomain } from './email-address.ts';

// Local parts that are a machine or a list, never a person at a company.
const machineLocalParts = /^(no-?reply|do-?not-?reply|donotreply|news(letter)?s?|notifications?|notify|updates?|digest|mailer(-daemon)?|bounces?|marketing|campaigns?|alerts?|automated|postmaster)([._+-].*)?$/;

// Domains that send on behalf of others (newsletters, marketing and transactional mail).
const mailPlatforms = [
  'substack.com', 'beehiiv.com', 'mailchimp.com', 'mcsv.net', 'mcdlv.net', 'list-manage.com', 'sendgrid.net', 'mailgun.org',
  'amazonses.com', 'sparkpostmail.com', 'mandrillapp.com', 'convertkit.com', 'ck.page', 'hubspotemail.net', 'hs-email.net',
  'ghost.io', 'medium.com', 'buttondown.email', 'revue.co', 'mailerlite.com', 'sendinblue.com', 'brevo.com', 'constantcontact.com',
];

const secondLevel = new Set(['co', 'com', 'org', 'net', 'ac', 'gov', 'edu', 'ltd', 'plc']);

/** acme.com → Acme, north-wind.co.uk → North Wind, mail.acme-robotics.com → Acme Robotics. */
export function companyNameFromDomain(domain: string): string {
  const labels = domain.toLowerCase().split('.').filter(Boolean);
  labels.pop();
  if (labels.length > 1 && secondLevel.has(labels[labels.length - 1]!)) labels.pop();
  const name = labels[labels.length - 1] ?? domain;
  return name
    .split(/[-_]/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}

export type NoCompanyReason = 'personal' | 'automated' | 'platform';

/**
 * The company to offer for a new contact from this address, or why there is none. `automated`:
 * the sender's mail carried bulk or auto-reply headers (ui/sidebar/logging.ts automatedReason).
 */
export function companyForSender(email: string, options: { automated?: boolean } = {}): { name: string; domain: string } | { name: null; reason: NoCompanyReason } {
  const address = email.trim().toLowerCase();
  const domain = domainOf(address);
  const local = address.slice(0, address.lastIndexOf('@'));
  if (isFreeMailDomain(domain)) return { name: null, reason: 'personal' };
  if (mailPlatforms.some((p) => domain === p || domain.endsWith(`.${p}`))) return { name: null, reason: 'platform' };
  if (options.automated || machineLocalParts.test(local)) return { name: null, reason: 'automated' };
  return { name: companyNameFromDomain(domain), domain };
}
