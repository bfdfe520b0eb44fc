/**
 * A registration is atomic: refused at any stage — handler validation, a domain refusal, text the
 * event store refuses, an append conflict — it leaves no personal-data key rows and takes no
 * registration number, and the next good registration gets the next number. Commands go straight to
 * the registration's command pipeline, past the HTTP layer's own input checks, so the storage path
 * itself is what is tested.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { deterministicEventId, EVENT_STORE, type EventStore } from '@appeal-ledger/event-store';
import { startEsdbStandIn, type EsdbStandIn } from '@appeal-ledger/event-store/testing';
import type { CommandOptions, DoneOutcome } from '../apps/api/src/appeals/appeal-command.service';
import {
  APPEAL_ID_NAMESPACE,
  AppealRegistration,
  type RegistrationInput,
} from '../apps/api/src/appeals/register-appeal/appeal-registration';
import { registration, type RegistrationBody } from './support/appeals';
import { startTestEngine, type TestEngine } from './support/test-engine';

const stores = [
  { name: 'PostgreSQL', esdb: false },
  { name: 'EventStoreDB', esdb: true },
];

/** A registration of one applicant stores that applicant's key and the appeal's own (its free text). */
const KEYS_PER_APPEAL = 2;

describe.each(stores)('registration with events in $name is atomic', ({ esdb }) => {
  let t: TestEngine;
  let standIn: EsdbStandIn | undefined;
  let db: Client;
  let registrations: AppealRegistration;

  beforeAll(async () => {
    if (esdb) standIn = await startEsdbStandIn();
    t = await startTestEngine({ env: standIn ? { EVENTSTORE_URL: standIn.url } : {} });
    db = new Client({ connectionString: t.database.url });
    await db.connect();
    registrations = t.engine.app.get(AppealRegistration);
  });

  afterAll(async () => {
    await db?.end();
    await t?.stop();
    await standIn?.stop();
  });

  function request(idempotencyKey?: string): CommandOptions {
    return {
      principal: { id: 'ivanova', name: 'Иванова А.А.', roles: ['registrar'] },
      fingerprint: idempotencyKey ?? randomUUID(),
      correlationId: randomUUID(),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    };
  }

  /** A registration; anything but a recorded appeal (a refusal value or an error) rejects. */
  async function registerDirectly(body: RegistrationBody, idempotencyKey?: string): Promise<DoneOutcome> {
    const outcome = await registrations.register(
      body as unknown as RegistrationInput,
      request(idempotencyKey),
    );
    if (outcome.status !== 'done') throw new Error(`registration not recorded: ${JSON.stringify(outcome)}`);
    return outcome;
  }

  async function footprint(): Promise<{ keys: number; lastNumber: number }> {
    const keys = await db.query<{ n: string }>('SELECT count(*) AS n FROM personal_data_keys');
    const counter = await db.query<{ last_sequence: number }>(
      'SELECT last_sequence FROM registration_counters WHERE year = 2018',
    );
    return { keys: Number(keys.rows[0].n), lastNumber: counter.rows[0]?.last_sequence ?? 0 };
  }

  const refusals: { stage: string; postgresOnly?: boolean; attempt: () => Promise<unknown> }[] = [
    {
      stage: 'handler validation (repeatOf names no appeal)',
      attempt: () => registerDirectly(registration({ repeatOf: randomUUID() })),
    },
    {
      stage: 'a domain refusal (registered before it was received)',
      attempt: () => registerDirectly(registration({ receivedAt: '2018-03-07', registeredAt: '2018-03-06' })),
    },
    {
      stage: 'a domain refusal (a question code not in the classifier)',
      attempt: () => registerDirectly(registration({ questions: [{ code: '9999.9999.9999.9999' }] })),
    },
    {
      // PostgreSQL refuses \u0000 inside jsonb (the HTTP layer refuses it earlier; this is the store's own answer).
      stage: 'text PostgreSQL refuses inside the event (\\u0000)',
      postgresOnly: true,
      attempt: () =>
        registerDirectly(registration({ summary: 'нет воды\u0000', territory: 'п. Елань\u0000' })),
    },
    {
      stage: 'an append conflict (the stream exists, holding no registration)',
      attempt: async () => {
        const key = randomUUID();
        const appealId = deterministicEventId(APPEAL_ID_NAMESPACE, key);
        const store = t.engine.app.get<EventStore>(EVENT_STORE);
        await store.append(
          `appeal-${appealId}`,
          [
            {
              id: randomUUID(),
              type: 'SomethingElseHappened',
              data: {},
              metadata: {
                occurredAt: '2018-03-06',
                actor: { id: 'x', name: 'x' },
                commandId: randomUUID(),
                correlationId: randomUUID(),
                causationId: randomUUID(),
                schemaVersion: 1,
              },
            },
          ],
          'no_stream',
        );
        return registerDirectly(registration(), key);
      },
    },
  ];

  it.each(refusals.filter((r) => !(esdb && r.postgresOnly)))(
    'refused at $stage: no key rows, no number taken',
    async ({ attempt }) => {
      await registerDirectly(registration());
      const before = await footprint();
      await expect(attempt()).rejects.toBeDefined();
      expect(await footprint()).toEqual(before);
      const next = await registerDirectly(registration());
      expect(next.loaded.state.context.number).toBe(`П/${before.lastNumber + 1}`);
      // one key for its applicant, one for its free text (the appeal's own)
      expect(await footprint()).toEqual({
        keys: before.keys + KEYS_PER_APPEAL,
        lastNumber: before.lastNumber + 1,
      });
    },
  );

  it('a retried registration (same Idempotency-Key) takes no second number and keeps its keys', async () => {
    const key = randomUUID();
    const first = await registerDirectly(registration(), key);
    const before = await footprint();
    const again = await registerDirectly(registration(), key);
    expect(again.loaded.state.context.number).toBe(first.loaded.state.context.number);
    expect(await footprint()).toEqual(before);
  });

  it('concurrent registrations get distinct numbers with no gap', async () => {
    const before = await footprint();
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => registerDirectly(registration())));
    const numbers = outcomes
      .map((o) => Number(o.loaded.state.context.number.split('/')[1]))
      .sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => before.lastNumber + 1 + i));
    expect(await footprint()).toEqual({
      keys: before.keys + 12 * KEYS_PER_APPEAL,
      lastNumber: before.lastNumber + 12,
    });
  });
});
