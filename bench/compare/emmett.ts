/**
 * The peer: Emmett's PostgreSQL event store (@event-driven-io/emmett-postgresql, a dev dependency of
 * the benchmarks only) running the same five-command lifecycle in-process — for each command its
 * CommandHandler reads the stream, folds it, decides, and appends with the expected stream version
 * (one durable commit). The decisions check the state as the engine's do (register only a new
 * appeal, answer only an assigned one, …); the payloads are of the engine's events' size.
 *
 *   DATABASE_URL=… npx ts-node --transpile-only -r tsconfig-paths/register bench/compare/emmett.ts [--clients 16]
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { CommandHandler, type Event } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { benchDatabase } from '../support/embedded-postgres';
import { eventPayload, LIFECYCLE_EVENTS, report, runWorkload, workloadOptions } from './workload';

type LifecycleEventType = (typeof LIFECYCLE_EVENTS)[number];
type AppealEvent = Event<LifecycleEventType, Record<string, unknown>>;
type Status = 'none' | 'registered' | 'assigned' | 'answering' | 'answered' | 'closed';
interface AppealState {
  status: Status;
  interimAnswers: number;
  executor?: string;
}

const evolve = (state: AppealState, event: AppealEvent): AppealState => {
  switch (event.type) {
    case 'AppealRegistered':
      return { ...state, status: 'registered' };
    case 'ExecutorAssigned':
      return { ...state, status: 'assigned', executor: String((event.data.executor as { id: string }).id) };
    case 'InterimAnswerSent':
      return { ...state, status: 'answering', interimAnswers: state.interimAnswers + 1 };
    case 'FinalAnswerSent':
      return { ...state, status: 'answered' };
    case 'AppealClosed':
      return { ...state, status: 'closed' };
  }
};

/** Which state each command needs: the decision refuses any other. */
const NEEDS: Record<LifecycleEventType, Status[]> = {
  AppealRegistered: ['none'],
  ExecutorAssigned: ['registered'],
  InterimAnswerSent: ['assigned', 'answering'],
  FinalAnswerSent: ['assigned', 'answering'],
  AppealClosed: ['answered'],
};

const handle = CommandHandler<AppealState, AppealEvent>({
  evolve,
  initialState: () => ({ status: 'none', interimAnswers: 0 }),
});

async function main(): Promise<void> {
  const options = workloadOptions();
  const db = await benchDatabase();
  const pool = new Pool({ connectionString: db.url, max: options.clients + 1 });
  pool.on('error', () => undefined);
  const store = getPostgreSQLEventStore(db.url, { connectionOptions: { pool } });
  try {
    // Creates Emmett's schema before the clock starts.
    await store.schema.migrate();
    const result = await runWorkload(
      'Emmett 0.42 PostgreSQL',
      pool,
      options,
      async (_client, step, appeal) => {
        if (step === 0) appeal.id = `appeal-${randomUUID()}`;
        const type = LIFECYCLE_EVENTS[step];
        await handle(store, appeal.id, (state) => {
          if (!NEEDS[type].includes(state.status)) throw new Error(`${type} refused in ${state.status}`);
          const { data, metadata } = eventPayload(appeal.id, randomUUID());
          return { type, data: { ...data, meta: metadata } };
        });
      },
    );
    report(result);
  } finally {
    await store.close();
    await pool.end().catch(() => undefined);
    await db.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(String(error instanceof Error ? error.stack : error) + '\n');
  process.exit(1);
});
