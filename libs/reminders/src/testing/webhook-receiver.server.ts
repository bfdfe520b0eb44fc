/** Test helper: a real HTTP webhook receiver that can refuse the first N requests. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Reminder } from '../reminder.view';

export interface WebhookAttempt {
  idempotencyKey: string | undefined;
  /** the X-Appeal-Ledger-Signature header as received */
  signature: string | undefined;
  /** the body exactly as received */
  body: string;
  status: number;
  reminder: Reminder;
}

export interface WebhookReceiver {
  url: string;
  /** every request, in arrival order */
  attempts: WebhookAttempt[];
  /** reminders answered 2xx, in arrival order (a redelivery appears again) */
  acknowledged: Reminder[];
  /** resolves once `count` distinct reminders are acknowledged; rejects after `timeoutMs` */
  waitForAcknowledged(count: number, timeoutMs?: number): Promise<Reminder[]>;
  /** resolves once `count` requests (answered either way) have arrived */
  waitForAttempts(count: number, timeoutMs?: number): Promise<WebhookAttempt[]>;
  /** answer the next `n` requests with `status` */
  failNext(n: number, status?: number): void;
  stop(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWebhookReceiver(
  options: { failFirst?: number; failStatus?: number } = {},
): Promise<WebhookReceiver> {
  let failures = options.failFirst ?? 0;
  let failStatus = options.failStatus ?? 503;
  const attempts: WebhookAttempt[] = [];
  const acknowledged: Reminder[] = [];
  const waiters = new Set<() => void>();
  const distinct = (): number => new Set(acknowledged.map((r) => r.id)).size;
  /** resolves when `done()` holds after a request (checked on each arrival, not by polling) */
  const waitUntil = (done: () => boolean, what: string, timeoutMs: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (!done()) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`webhook: no ${what} after ${timeoutMs} ms (${attempts.length} requests so far)`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const reminder = JSON.parse(body) as Reminder;
      const status = failures > 0 ? failStatus : 200;
      if (failures > 0) failures -= 1;
      const key = req.headers['idempotency-key'];
      const signature = req.headers['x-appeal-ledger-signature'];
      attempts.push({
        idempotencyKey: Array.isArray(key) ? key[0] : key,
        signature: Array.isArray(signature) ? signature[0] : signature,
        body,
        status,
        reminder,
      });
      if (status === 200) acknowledged.push(reminder);
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/hooks/reminders`,
    attempts,
    acknowledged,
    failNext: (n, status = 503) => {
      failures = n;
      failStatus = status;
    },
    waitForAcknowledged: (count, timeoutMs = 20_000) =>
      waitUntil(() => distinct() >= count, `${count} acknowledged reminders`, timeoutMs).then(() => [
        ...acknowledged,
      ]),
    waitForAttempts: (count, timeoutMs = 20_000) =>
      waitUntil(() => attempts.length >= count, `${count} webhook requests`, timeoutMs).then(() => [
        ...attempts,
      ]),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
