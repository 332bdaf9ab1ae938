// runtime.sendMessage typed to the protocol in messages.ts. A missing answer (the worker threw,
// or the extension was reloaded under a still-open Gmail tab) arrives as undefined or a rejection.
import { browser } from 'wxt/browser';
import type { AnswerTo, CrmMessage, SendToBackground } from './messages.ts';

export const sendToBackground: SendToBackground = <M extends CrmMessage>(message: M) =>
  browser.runtime.sendMessage<M, AnswerTo<M>>(message);
