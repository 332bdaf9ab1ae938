// Email address helpers shared by logging, context lookup and the sidebar.

/** Lower-cased bare address, or null if it does not look like one. Accepts `Name <a@b.c>`. */
export function normalizeEmail(input: string): string | null {
  const angle = /<([^<>]+)>\s*$/.exec(input);
  const address = (angle ? angle[1]! : input).trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address) ? address : null;
}

export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

// Personal mailboxes: a sender from one of these says nothing about their employer.
export const freeMailDomains = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.co.uk', 'ymail.com', 'hotmail.com', 'hotmail.co.uk',
  'outlook.com', 'live.com', 'msn.com', 'icloud.com', 'me.com', 'mac.com', 'aol.com', 'proton.me',
  'protonmail.com', 'gmx.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com', 'yandex.com', 'yandex.ru',
  'zoho.com', 'fastmail.com', 'hey.com', 'orange.fr', 'free.fr', 'laposte.net', 'libero.it', 'qq.com', '163.com',
]);

export const isFreeMailDomain = (domain: string) => freeMailDomains.has(domain.toLowerCase());
