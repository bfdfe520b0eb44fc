/**
 * Erasure reaches every instance (issue 12): two engines on one database; after DELETE
 * /appeals/{id}/personal-data on A, B — which had opened the applicants' data and cached their keys —
 * serves neither keys nor plaintext any more, without a restart (PostgreSQL LISTEN/NOTIFY).
 */
import { ErasureListener } from '../apps/api/src/appeals/erase-personal-data/erasure.listener';
import { actors, getAppeal, registered, registration } from './support/appeals';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

const APPLICANT = { name: 'Многоэкземплярова Ия Петровна', address: 'с. Двойное, ул. Вторая, 2' };

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('erasure on every instance', () => {
  let database: TestDatabase;
  let a: TestEngine;
  let b: TestEngine;

  beforeAll(async () => {
    database = await createTestDatabase('erasure');
    a = await startTestEngine({ database });
    b = await startTestEngine({ database });
  });

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await database?.drop();
  });

  it('instance B stops serving cached keys and plaintext once A erased', async () => {
    const whoA = actors(a);
    const whoB = actors(b);
    const appeal = await registered(a, whoA.registrar, registration({ applicants: [APPLICANT] }));
    // B opens the applicants: their key and plaintext are now cached in B
    const before = await getAppeal(b, whoB.supervisor, appeal.id);
    expect(before.body.applicants).toEqual([expect.objectContaining(APPLICANT)]);
    const handledBefore = b.engine.app.get(ErasureListener).notificationsHandled;

    const erased = await http(a.url, 'DELETE', `/appeals/${appeal.id}/personal-data`, { token: whoA.admin });
    expect(erased.status).toBe(200);

    // B applied A's notification …
    await waitFor('B to hear of the erasure', () =>
      Promise.resolve(
        b.engine.app.get(ErasureListener).notificationsHandled > handledBefore ? true : undefined,
      ),
    );
    // … and neither its key cache nor its plaintext cache serves the applicant any more
    const after = await getAppeal(b, whoB.supervisor, appeal.id);
    expect(after.status).toBe(200);
    expect(after.body.applicants).toEqual([{ erased: true }]);
    expect(JSON.stringify(after.body)).not.toContain('Многоэкземплярова');
    const historyB = await http<unknown>(b.url, 'GET', `/appeals/${appeal.id}/history`, {
      token: whoB.supervisor,
    });
    expect(historyB.status).toBe(200);
    expect(JSON.stringify(historyB.body)).not.toContain('Многоэкземплярова');
  });
});
