// The Gmail content script's tracking calls, as messages to the background worker (which holds
// the token and checks each message's shape, background/tracking-handlers.ts). Every call settles:
// no answer within its time, a rejected message (the extension was reloaded under this tab) or an
// empty answer become failures the callers can show, never a hang.
import { ApiError, type ApiErrorCode } from '../../ui/api-client/api-error.ts';
import type { ComposeTrackingPort } from '../../ui/compose/tracking-port.ts';
import type {
  CrmAnswers,
  CrmMessage,
  SendToBackground,
  TrackingFailure,
  TrackingRecipients,
  TrackingRegisterInput,
  TrackingSentInput,
} from '../messages.ts';

export interface TrackingClient {
  settings(): Promise<CrmAnswers['crm:tracking-settings']>;
  decision(recipients: TrackingRecipients): Promise<CrmAnswers['crm:tracking-decision']>;
  /** `timeoutMs`: what is left of the one second the rep may wait on Send. */
  register(message: TrackingRegisterInput, timeoutMs: number): Promise<CrmAnswers['crm:tracking-register']>;
  sent(sent: TrackingSentInput): Promise<CrmAnswers['crm:tracking-sent']>;
  senderViews(messageIds: string[]): Promise<CrmAnswers['crm:sender-view']>;
  threadStates(threadIds: string[]): Promise<CrmAnswers['crm:thread-states']>;
}

type Answer<M extends CrmMessage> = CrmAnswers[M['type']];

export function createTrackingClient(send: SendToBackground, options: { timeoutMs?: number } = {}): TrackingClient {
  const defaultTimeoutMs = options.timeoutMs ?? 10_000;

  function ask<M extends CrmMessage>(message: M, timeoutMs = defaultTimeoutMs): Promise<Answer<M> | TrackingFailure> {
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => resolve({ ok: false, code: 'TIMEOUT', message: `Inbox CRM did not answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}` }),
        Math.max(0, timeoutMs),
      );
      const noAnswer = (detail: string): TrackingFailure => ({ ok: false, code: 'OFFLINE', message: `the Inbox CRM extension did not answer (${detail}); reload Gmail if it was just updated` });
      let answer: Promise<Answer<M> | undefined>;
      try {
        answer = send(message) as Promise<Answer<M> | undefined>;
      } catch (err) {
        answer = Promise.reject(err); // sendMessage throws at once when the extension context is gone
      }
      answer.then(
        (a) => {
          clearTimeout(timer);
          resolve(a ?? noAnswer('no answer'));
        },
        (err: unknown) => {
          clearTimeout(timer);
          resolve(noAnswer(err instanceof Error ? err.message : String(err)));
        },
      );
    });
  }

  return {
    settings: () => ask({ type: 'crm:tracking-settings' }),
    decision: (recipients) => ask({ type: 'crm:tracking-decision', recipients }),
    register: (message, timeoutMs) => ask({ type: 'crm:tracking-register', message }, timeoutMs),
    sent: (sent) => ask({ type: 'crm:tracking-sent', sent }),
    senderViews: (messageIds) => ask({ type: 'crm:sender-view', messageIds }),
    threadStates: (threadIds) => ask({ type: 'crm:thread-states', threadIds }),
  };
}

/** A failed answer of the worker as the ApiError ui/compose expects (its own TIMEOUT is no answer: OFFLINE). */
const errorOf = (failure: TrackingFailure) => new ApiError(failure.code === 'TIMEOUT' ? 'OFFLINE' : (failure.code as ApiErrorCode), failure.message, 0);

/** The tracked-send flow's way to the CRM from a Gmail tab: the worker's tracking messages. */
export function createGmailComposePort(client: TrackingClient): ComposeTrackingPort {
  return {
    async settings() {
      const answer = await client.settings();
      if (!answer.ok) throw errorOf(answer);
      return answer.settings;
    },
    async decision(recipients) {
      const answer = await client.decision(recipients);
      if (!answer.ok) throw errorOf(answer);
      return answer.decision;
    },
    async register({ to, cc, bcc, html, subject, threadId }, { timeoutMs }) {
      // The worker never adds the opt-out line (the compose button does not offer it).
      const answer = await client.register({ to, cc, bcc, html, subject, threadId }, timeoutMs);
      if (!answer.ok) throw errorOf(answer);
      return answer.registration;
    },
    async reportSent(trackedMessageId, { messageId, threadId, sentAt }) {
      const answer = await client.sent({ trackedMessageId, messageId, threadId, sentAt });
      if (!answer.ok) throw errorOf(answer);
    },
  };
}
