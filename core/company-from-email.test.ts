import { describe, expect, it } from 'vitest';
import { companyForSender, companyNameFromDomain } from './company-from-email.ts';

describe('companyForSender: a company only when the address looks like someone at one', () => {
  it.each([
    { email: 'dana.whitfield@lumenforge.io', automated: false, company: 'Lumenforge' },
    { email: 'ann@north-wind.co.uk', automated: false, company: 'North Wind' },
    { email: 'Ops@Acme-Robotics.com', automated: false, company: 'Acme Robotics' },
    { email: 'info@acme.com', automated: false, company: 'Acme' },
    // A person's mailbox at a free-mail provider says nothing about their employer.
    { email: 'jamie.rivera.ventures@gmail.com', automated: false, company: null, reason: 'personal' },
    // Newsletters and machines: the demo's "Pipelineletter".
    { email: 'news@pipelineletter.com', automated: true, company: null, reason: 'automated' },
    { email: 'news@pipelineletter.com', automated: false, company: null, reason: 'automated' },
    { email: 'no-reply@acme.com', automated: false, company: null, reason: 'automated' },
    { email: 'notifications+123@tools.example.com', automated: false, company: null, reason: 'automated' },
    { email: 'someone@acme.com', automated: true, company: null, reason: 'automated' },
    { email: 'pipeline@substack.com', automated: false, company: null, reason: 'platform' },
    { email: 'bounce-x@mail.sendgrid.net', automated: false, company: null, reason: 'platform' },
  ])('$email (automated: $automated) → $company', ({ email, automated, company, reason }) => {
    const found = companyForSender(email, { automated });
    expect(found.name).toBe(company);
    if (company === null) expect(found).toMatchObject({ reason });
  });

  it.each([
    { domain: 'acme.com', name: 'Acme' },
    { domain: 'mail.acme-robotics.com', name: 'Acme Robotics' },
    { domain: 'north_wind.org.uk', name: 'North Wind' },
  ])('$domain is named $name', ({ domain, name }) => {
    expect(companyNameFromDomain(domain)).toBe(name);
  });
});
