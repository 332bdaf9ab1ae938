// The demo inbox's sample mail (its fixtures), built from the signed-in user's CRM (see
// directory.ts) plus a few fixed threads every mailbox has: two unknown senders, a newsletter and an
// internal thread. Pure: `now` is passed in; demo-thread.ts makes the ids.
import type { MailboxDirectory } from './directory.ts';
import { buildThread, domainOf, lastDate, type DemoThread, type MessageDraft, type Person, type ThreadKind } from './demo-thread.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const firstName = (p: Person) => (p.name.trim().split(/\s+/)[0] || p.email.split('@')[0]) ?? p.email;
const productOf = (dealName: string) => {
  const parts = dealName.split(/\s+[—–-]\s+/);
  return (parts.length > 1 ? parts.slice(1).join(' — ') : dealName).trim() || dealName;
};

/** Fixed people of every demo mailbox; their domains are not in the demo data. */
const demoStrangers = {
  personal: { name: 'Jamie Rivera', email: 'jamie.rivera.ventures@gmail.com' },
  newCompany: { name: 'Dana Whitfield', email: 'dana.whitfield@lumenforge.io' },
  newCompanyColleague: { name: 'Marco Bell', email: 'marco.bell@lumenforge.io' },
  newsletter: { name: 'The Pipeline Letter', email: 'news@pipelineletter.com' },
} as const;

/** Someone at a known company the CRM does not have yet (cc'd on the "question" thread). */
const newcomerAt = (domain: string): Person => ({ name: 'Robin Hale', email: `robin.hale@${domain}` });

const anchorKey = (email: string) => `inbox-crm-demo:anchor:${email.toLowerCase()}`;
/** How long one anchor serves: a mailbox left open overnight starts over the next day. */
const ANCHOR_MS = 12 * 3_600_000;

/**
 * The moment the mailbox's message times count back from, kept in the session's storage: a reload
 * shows the same times (and the sidebar logs each email with the time it showed before) instead of
 * moving every message closer to "now".
 */
export function mailboxAnchor(storage: Storage, userEmail: string, now: Date): Date {
  try {
    const saved = Number(storage.getItem(anchorKey(userEmail)));
    if (saved > 0 && saved <= now.getTime() && now.getTime() - saved < ANCHOR_MS) return new Date(saved);
    storage.setItem(anchorKey(userEmail), String(now.getTime()));
  } catch {
    // No storage: times follow the clock, as before.
  }
  return now;
}

/** Signing out leaves nothing of the user in the tab's storage. */
export function clearMailboxAnchor(storage: Storage, userEmail: string): void {
  storage.removeItem(anchorKey(userEmail));
}

export function buildMailbox(directory: MailboxDirectory, now: Date): DemoThread[] {
  const me = directory.user;
  const mine = me.email.toLowerCase();
  const meFirst = firstName(me);

  const thread = (kind: ThreadKind, template: string, key: string, subject: string, contactEmail: string | null, drafts: MessageDraft[]) =>
    buildThread({ owner: me, now, kind, template, key, subject, contactEmail, drafts });

  const threads: DemoThread[] = [];
  const [proposal, question, followUp] = directory.deals;

  if (proposal) {
    const [lead, ...others] = proposal.contacts;
    if (lead) {
      const cc = others.slice(0, 2);
      const product = productOf(proposal.dealName);
      const first = firstName(lead);
      threads.push(
        thread('known', 'proposal', lead.email.toLowerCase(), `${product} proposal for ${proposal.companyName}`, lead.email, [
          {
            from: me, to: [lead], cc, ago: 3 * DAY + 5 * HOUR,
            body: `Hi ${first},\n\nAs promised, here is our proposal for ${product}. It covers the rollout plan, the first-year pricing and the support terms we discussed.\n\nHappy to walk your team through it this week.\n\nBest,\n${meFirst}`,
          },
          {
            from: lead, to: [me], cc, ago: 2 * DAY + 3 * HOUR,
            body: `Thanks ${meFirst}, this looks good. We reviewed it internally and have two questions on the rollout timeline. Could we meet on Thursday?\n\n${first}`,
          },
          {
            from: me, to: [lead], cc, ago: 2 * DAY + HOUR,
            body: `Thursday works. I have sent an invite for 10:00 and will bring our implementation lead.\n\nTalk then,\n${meFirst}`,
          },
        ]),
      );
    }
  }

  if (question) {
    const lead = question.contacts[0];
    if (lead) {
      const product = productOf(question.dealName);
      const newcomer = newcomerAt(domainOf(lead.email));
      threads.push(
        thread('known', 'question', lead.email.toLowerCase(), `Question about ${product} pricing`, lead.email, [
          {
            from: lead, to: [me], cc: [newcomer], ago: 40 * MINUTE,
            body: `Hi ${meFirst},\n\nQuick question before our next call: does the ${product} price include onboarding for a second team? I have copied ${newcomer.name} from our finance team, who will own the budget.\n\nThanks,\n${firstName(lead)}`,
          },
        ]),
      );
    }
  }

  if (followUp) {
    const lead = followUp.contacts[0];
    if (lead) {
      const product = productOf(followUp.dealName);
      const first = firstName(lead);
      threads.push(
        thread('known', 'follow-up', lead.email.toLowerCase(), `Next steps on ${product}`, lead.email, [
          {
            from: me, to: [lead], ago: 9 * DAY + 2 * HOUR,
            body: `Hi ${first},\n\nThanks for your time last week. As a next step I suggest a short technical session with your IT team. Would Tuesday or Wednesday work?\n\nBest,\n${meFirst}`,
          },
          {
            from: me, to: [lead], ago: 4 * DAY + 6 * HOUR,
            body: `Hi ${first}, just bumping this to the top of your inbox. Is this still a priority this quarter?\n\n${meFirst}`,
          },
        ]),
      );
    }
  }

  if (directory.soloContact) {
    const { contact, companyName } = directory.soloContact;
    const first = firstName(contact);
    threads.push(
      thread('known', 'case-studies', contact.email.toLowerCase(), `Case studies for ${companyName ?? 'your team'}`, contact.email, [
        {
          from: contact, to: [me], ago: 6 * HOUR + 20 * MINUTE,
          body: `Hello ${meFirst},\n\nCould you send over a few case studies from companies like ours? We are starting to look at options for next year.\n\n${first}`,
        },
        {
          from: me, to: [contact], ago: 5 * HOUR + 45 * MINUTE,
          body: `Hi ${first},\n\nOf course: attached are three customer stories from teams of a similar size. Happy to set up a call with one of them if that helps.\n\nBest,\n${meFirst}`,
        },
      ]),
    );
  }

  const { personal, newCompany, newCompanyColleague, newsletter } = demoStrangers;
  threads.push(
    thread('unknown-personal', 'personal', personal.email, 'Intro via Priya, quick chat?', null, [
      {
        from: personal, to: [me], ago: 3 * HOUR + 10 * MINUTE,
        body: `Hi ${meFirst},\n\nPriya mentioned you might be able to help. I advise a couple of early-stage companies on their sales tooling and would love a quick chat next week.\n\nCheers,\nJamie`,
      },
    ]),
    thread('unknown-company', 'new-company', newCompany.email, 'Evaluating a CRM for our sales team', null, [
      {
        from: newCompany, to: [me], cc: [newCompanyColleague], ago: DAY + 2 * HOUR,
        body: `Hi ${meFirst},\n\nWe are a 40-person team at Lumenforge looking for a CRM that lives in the inbox. Could you share pricing and how a pilot would work?\n\nBest regards,\nDana Whitfield\nHead of Sales Operations, Lumenforge`,
      },
      {
        from: me, to: [newCompany], cc: [newCompanyColleague], ago: DAY + 30 * MINUTE,
        body: `Hi Dana,\n\nThanks for reaching out! A pilot usually runs four weeks with up to ten seats. I will send pricing today; does a call on Friday suit you?\n\n${meFirst}`,
      },
      {
        from: newCompanyColleague, to: [me], cc: [newCompany], ago: 20 * HOUR,
        body: `Hi ${meFirst}, Marco here from IT. Before the call, could you fill in our security questionnaire? I will send it over separately.\n\nMarco`,
      },
    ]),
    thread('bulk', 'newsletter', newsletter.email, 'This week: five ways to shorten your sales cycle', null, [
      {
        from: newsletter, to: [me], ago: 2 * DAY + 7 * HOUR,
        body: 'This week in The Pipeline Letter: why mutual action plans work, the follow-up cadence that gets replies, and a checklist for your next quarterly business review.\n\nYou are receiving this because you subscribed at pipelineletter.com.',
        headers: {
          'List-Unsubscribe': '<mailto:unsubscribe@pipelineletter.com?subject=unsubscribe>, <https://pipelineletter.com/unsubscribe>',
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          'List-Id': 'The Pipeline Letter <weekly.pipelineletter.com>',
          Precedence: 'bulk',
        },
      },
    ]),
  );

  const colleagues = directory.colleagues.filter((c) => c.email.toLowerCase() !== mine);
  const lead = colleagues[0] ?? { name: 'Sales team', email: `sales-team@${domainOf(mine)}` };
  const ccColleague = colleagues[1];
  threads.push(
    thread('internal', 'internal', 'internal', 'Pipeline review on Thursday', null, [
      {
        from: lead, to: [me], cc: ccColleague ? [ccColleague] : [], ago: DAY + 5 * HOUR,
        body: `Hi ${meFirst},\n\nCan you bring the deals closing this month to Thursday's pipeline review? Ten minutes is plenty.\n\nThanks,\n${firstName(lead)}`,
      },
      {
        from: me, to: [lead], cc: ccColleague ? [ccColleague] : [], ago: DAY + 4 * HOUR,
        body: `Will do. I will have the three largest ones ready.\n\n${meFirst}`,
      },
    ]),
  );

  // Newest conversation first, as mail clients list them.
  return threads.sort((a, b) => lastDate(b).localeCompare(lastDate(a)));
}

