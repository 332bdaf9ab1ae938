// When a mail that could not be sent is tried again: doubling from 30 s, capped at an hour, with
// jitter so a recovered SMTP server is not hit by every waiting mail at once. After MAIL_MAX_ATTEMPTS
// (about two days of trying) a mail is marked failed and kept for the operator.
export const MAIL_MAX_ATTEMPTS = 60;
const FIRST_SECONDS = 30;
const MAX_SECONDS = 3600;

/** Seconds before attempt `attempt + 1`, after `attempt` failed ones (1-based); `random` in [0, 1). */
export function mailRetryDelaySeconds(attempt: number, random: number): number {
  const base = Math.min(MAX_SECONDS, FIRST_SECONDS * 2 ** Math.max(0, attempt - 1));
  // ±20 %: spread out, never below half a minute.
  return Math.max(FIRST_SECONDS, Math.round(base * (0.8 + 0.4 * random)));
}
