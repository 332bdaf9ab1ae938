// Outgoing webhook notifications: changes to contacts, companies and deals go to the subscribed URL
// in batches (up to 100 events), signed v3 (base64 HMAC-SHA256 of method + URL + body + timestamp,
// keyed by the app's client secret) and v1 (hex SHA-256 of secret + body), as HubSpot sends them.
import { createHash, createHmac } from 'node:crypto';
import type { Clock } from '../shared/options.ts';
import { HUBSPOT_SANDBOX_APP } from './auth.ts';
import { objectTypes } from './schema.ts';
import type { ChangeEvent } from './store.ts';

export interface Delivery { at: number; url: string; events: number; status: number; error?: string }
interface Subscription { url: string; events: string[] | null }

export class WebhookSender {
  subscription: Subscription | null = null;
  deliveries: Delivery[] = [];
  #queue: Array<Record<string, unknown>> = [];
  #timer: NodeJS.Timeout | null = null;
  #inFlight: Promise<void> = Promise.resolve();
  #eventId = 1;

  constructor(private readonly clock: Clock, private readonly portalId: number) {}

  subscribe(subscription: { url: string; events?: string[] }): void {
    this.subscription = { url: subscription.url, events: subscription.events ?? null };
  }

  queued(): number {
    return this.#queue.length;
  }

  unsubscribe(): void {
    this.subscription = null;
    this.#queue = [];
  }

  /** Store listener: turns a change into HubSpot's event shape and queues it. */
  onChange = (change: ChangeEvent): void => {
    const singular = objectTypes[change.type].singular;
    if (!this.subscription || !['contact', 'company', 'deal'].includes(singular)) return;
    const subscriptionType = `${singular}.${change.kind}`;
    if (this.subscription.events && !this.subscription.events.includes(subscriptionType)) return;
    this.#queue.push({
      eventId: this.#eventId++, subscriptionId: 100 + ['contact', 'company', 'deal'].indexOf(singular), portalId: this.portalId, appId: HUBSPOT_SANDBOX_APP.appId,
      occurredAt: this.clock(), subscriptionType, attemptNumber: 0, objectId: Number(change.id), changeFlag: ({ propertyChange: 'PROPERTY_CHANGED', creation: 'CREATED', deletion: 'DELETED', merge: 'MERGED' } as const)[change.kind],
      changeSource: change.source, sourceId: change.source === 'INTEGRATION' ? String(HUBSPOT_SANDBOX_APP.appId) : 'userId:7000001',
      ...(change.kind === 'propertyChange' ? { propertyName: change.propertyName, propertyValue: change.propertyValue ?? '' } : {}),
      ...(change.kind === 'merge' ? { primaryObjectId: Number(change.id), mergedObjectIds: change.mergedObjectIds!.map(Number), newObjectId: Number(change.id) } : {}),
    });
    this.#timer ??= setTimeout(() => void this.flush(), 50);
  };

  /** Sends everything queued now; resolves when the deliveries are answered. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#inFlight = this.#inFlight.then(async () => {
      while (this.#queue.length && this.subscription) await this.deliver(this.subscription.url, this.#queue.splice(0, 100));
    });
    return this.#inFlight;
  }

  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#queue = [];
  }

  private async deliver(url: string, events: Array<Record<string, unknown>>): Promise<void> {
    const body = JSON.stringify(events);
    // The request timestamp is wall time (receivers compare it with their own clock), unlike occurredAt.
    const timestamp = String(Date.now());
    const secret = HUBSPOT_SANDBOX_APP.clientSecret;
    const headers = {
      'content-type': 'application/json',
      'x-hubspot-signature-v3': createHmac('sha256', secret).update(`POST${url}${body}${timestamp}`).digest('base64'),
      'x-hubspot-request-timestamp': timestamp,
      'x-hubspot-signature': createHash('sha256').update(secret + body).digest('hex'),
      'x-hubspot-signature-version': 'v1',
    };
    try {
      const response = await fetch(url, { method: 'POST', headers, body });
      this.deliveries.push({ at: this.clock(), url, events: events.length, status: response.status });
    } catch (error) {
      this.deliveries.push({ at: this.clock(), url, events: events.length, status: 0, error: (error as Error).message });
    }
  }
}
