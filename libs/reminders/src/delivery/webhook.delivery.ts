/**
 * Webhook delivery: POSTs each reminder's JSON with `Idempotency-Key: <reminder id>` and retries
 * with exponential backoff until the receiver answers 2xx. Driven by a DeliveryConsumer, so
 * reminders go out one at a time in position order and survive restarts. With a secret, every
 * attempt carries `X-Appeal-Ledger-Signature: t=…,v1=…` (HMAC-SHA256 of `${t}.${body}`, t fresh per attempt).
 */
import type { RecordedEvent } from '@appeal-ledger/event-store';
import type { EngineLogger } from '@appeal-ledger/projections';
import { toReminder, type Reminder } from '../reminder.view';
import { appealIdOf } from '../reminder.view';
import type { AppealNumbers } from './appeal-numbers.lookup';
import { WEBHOOK_SIGNATURE_HEADER, webhookSignature } from './webhook-signature';

export interface WebhookOptions {
  url: string;
  numbers: AppealNumbers;
  /** first retry delay (default 1000 ms), doubled per failure up to `maxBackoffMs` (default 60,000 ms) */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** per request (default 10,000 ms) */
  timeoutMs?: number;
  logger?: EngineLogger;
  /** HMAC-SHA256 key signing each body (X-Appeal-Ledger-Signature); unsigned without one */
  secret?: string;
  /** now in ms, for the signature's timestamp (default Date.now) */
  now?: () => number;
}

export class WebhookAbortedError extends Error {
  override readonly name = 'WebhookAbortedError';
}

/** Delay before retry number `attempt` (1-based): initial × 2^(attempt−1), capped. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempt - 1, 30));
}

export class WebhookDelivery {
  constructor(private readonly options: WebhookOptions) {}

  /** The consumer's handler: resolves when the receiver acknowledged the reminder. */
  readonly handle = async (event: RecordedEvent, signal: AbortSignal): Promise<void> => {
    const reminder = toReminder(event, await this.options.numbers.numberOf(appealIdOf(event)));
    await this.deliver(reminder, signal);
  };

  async deliver(reminder: Reminder, signal: AbortSignal): Promise<void> {
    const { url, logger } = this.options;
    const initial = this.options.initialBackoffMs ?? 1000;
    const max = this.options.maxBackoffMs ?? 60_000;
    const body = JSON.stringify(reminder);
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw new WebhookAbortedError(`delivery of reminder ${reminder.id} stopped`);
      let failure: string;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: this.headers(reminder, body),
          body,
          signal: AbortSignal.any([signal, AbortSignal.timeout(this.options.timeoutMs ?? 10_000)]),
        });
        // the body is not needed; reading it frees the connection
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) {
          if (attempt > 1)
            logger?.info({ reminderId: reminder.id, attempt }, 'reminder webhook delivered after retries');
          return;
        }
        failure = `HTTP ${response.status}`;
      } catch (error) {
        if (signal.aborted) throw new WebhookAbortedError(`delivery of reminder ${reminder.id} stopped`);
        failure = error instanceof Error ? error.message : String(error);
      }
      const delay = backoffDelay(attempt, initial, max);
      logger?.warn(
        { reminderId: reminder.id, position: reminder.position, attempt, failure, retryInMs: delay },
        'reminder webhook not acknowledged; retrying',
      );
      await sleep(delay, signal);
    }
  }

  private headers(reminder: Reminder, body: string): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'idempotency-key': reminder.id,
    };
    const { secret, now = Date.now } = this.options;
    if (secret) headers[WEBHOOK_SIGNATURE_HEADER] = webhookSignature(secret, body, now() / 1000);
    return headers;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
