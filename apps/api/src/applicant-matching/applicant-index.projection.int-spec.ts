/**
 * The applicant index on real PostgreSQL with the real vault and blind index: it folds from its
 * events' data alone (`foldsFromDataAlone`), so its catch-up may read `$all` leanly and share the
 * other read models' read — a lean read (no metadata, no recordedAt) gives the same tables as a full
 * one, for sealed applicants, applicants stored in the clear, an erased appeal, the registrar's
 * decisions on related appeals and a termination of correspondence.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { registered, relatedConfirmed, relatedRejected } from '@appeal-ledger/appeal/testing';
import { METADATA_NOT_READ, RECORDED_AT_NOT_READ, runMigrations } from '@appeal-ledger/event-store';
import { Pool } from 'pg';
import { applyEvents, createReadModel, dumpTables, EventLog } from '../../../../libs/projections/src/testing';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { PERSONAL_DATA_MIGRATIONS, PersonalDataVault } from '../personal-data/personal-data.vault';
import { ApplicantIndexProjection } from './applicant-index.projection';
import { BlindIndex } from './blind-index';

describe('applicant index read model (PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let vault: PersonalDataVault;
  let projection: ApplicantIndexProjection;

  beforeAll(async () => {
    db = await createTestDatabase('applicant_index');
    pool = new Pool({ connectionString: db.url, max: 2 });
    await runMigrations(pool, { table: 'personal_data_migrations', migrations: PERSONAL_DATA_MIGRATIONS });
    vault = new PersonalDataVault(pool, randomBytes(32));
    projection = new ApplicantIndexProjection(vault, new BlindIndex(randomBytes(32)));
  });

  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  /** A registration as the engine stores it: the applicants sealed, their keys stored. */
  async function sealedRegistration(appealId: string, number: string, names: string[]) {
    const prepared = vault.prepare(
      appealId,
      names.map((name, i) => ({
        applicantId: randomUUID(),
        name,
        address: `г. Тамбов, ул. Советская, ${i + 1}`,
        email: `applicant${i}@example.org`,
      })),
    );
    await vault.storeKeys(pool, prepared);
    vault.committed(prepared);
    return registered({ appealId, number, applicants: prepared.sealed });
  }

  it('folds from its events’ data alone: a lean read (no metadata, no recordedAt) gives the same tables', async () => {
    expect(projection.foldsFromDataAlone).toBe(true);
    const [sealed, clear, erased] = [randomUUID(), randomUUID(), randomUUID()];
    const events = new EventLog();
    events.append(sealed, await sealedRegistration(sealed, 'П/1', ['Петров Пётр Петрович', 'Иванова Анна']));
    // stored before sealing: the fields in the clear
    events.append(
      clear,
      registered({
        appealId: clear,
        number: 'П/2',
        applicants: [
          { applicantId: randomUUID(), name: 'Петров Пётр Петрович', address: 'п. Елань, ул. Мира, 1' },
        ],
      }),
      relatedConfirmed({ relatedAppealId: sealed }),
    );
    events.append(
      erased,
      await sealedRegistration(erased, 'П/3', ['Сидоров Сидор']),
      relatedRejected({ relatedAppealId: sealed }),
    );
    await vault.destroyForAppeal(erased, randomUUID());
    events.append(sealed, {
      type: 'CorrespondenceTerminated',
      data: {
        decidedBy: { name: 'Глава', position: 'глава района' },
        decidedAt: '2018-03-06T10:00:00+07:00',
        questionCodes: ['0005.0005.0056.1149'],
        earlierAppealIds: [clear],
        grounds: 'на вопросы даны ответы по существу дважды; новых доводов нет',
      },
    });

    await createReadModel(pool, projection, 'ix_full');
    await applyEvents(pool, projection, events.events, { schema: 'ix_full' });
    await createReadModel(pool, projection, 'ix_lean');
    const lean = events.events.map((e) => ({
      ...e,
      metadata: METADATA_NOT_READ,
      recordedAt: RECORDED_AT_NOT_READ,
    }));
    await applyEvents(pool, projection, lean, { schema: 'ix_lean' });

    const full = await dumpTables(pool, 'ix_full', projection.tables);
    expect(Object.values(full).every((rows) => rows.length > 0)).toBe(true);
    // the erased appeal's applicants are not indexed; the other two appeals' are
    const indexed = new Set((full.entries as { appeal_id: string }[]).map((r) => r.appeal_id));
    expect([...indexed].sort()).toEqual([sealed, clear].sort());
    expect(await dumpTables(pool, 'ix_lean', projection.tables)).toEqual(full);
  });
});
