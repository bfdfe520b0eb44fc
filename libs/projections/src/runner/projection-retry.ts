/**
 * POST /admin/projections/{name}/retry: the quarantined events of a projection applied again
 * (after a fix of the code or the data), in position order, each under its own savepoint, in one
 * transaction holding the live checkpoint's row lock (so the live writer, on any instance, waits
 * for it and a rebuild's swap comes after). Those that apply now leave the quarantine; those that
 * still fail with a data error stay, with attempts + 1 and the new error. A transient error rolls
 * the whole retry back and is thrown. The events apply late — after later events of the same
 * stream — which is what every read model here tolerates; a rebuild applies them in order instead.
 */
import type { ClientConfig } from 'pg';
import type { Projection } from '../projection.port';
import { liveSchema } from '../projection.port';
import type { EngineLogger } from '../consumer/logger';
import { openSession } from '../consumer/session';
import type { EventStore } from '../shared/event-store';
import { classifyFailure, shortErrorMessage } from '../shared/event-failure';
import { qualified } from '../shared/sql';
import { rollbackTo } from './projection-batch';
import {
  listQuarantine,
  QUARANTINE_TABLE,
  quarantineEvent,
  type QuarantinedEvent,
} from './projection-quarantine';
import { readCheckpoint } from './projection-schema';

/** What POST /admin/projections/{name}/retry did. */
export interface RetryResult {
  name: string;
  /** quarantined events tried again */
  retried: number;
  /** applied now and removed from the quarantine */
  applied: number;
  /** failing still (attempts + 1, error updated), kept */
  stillFailing: number;
  /** no longer in the store at their position: removed from the quarantine */
  gone: number;
  /** what is left in the quarantine */
  remaining: QuarantinedEvent[];
}

export interface RetryDeps {
  store: EventStore;
  connection: ClientConfig;
  logger: EngineLogger;
}

export async function retryQuarantined(deps: RetryDeps, projection: Projection): Promise<RetryResult> {
  const { name } = projection;
  const schema = liveSchema(name);
  const client = await openSession(deps.connection, () => undefined);
  let applied = 0;
  let stillFailing = 0;
  let gone = 0;
  let retried = 0;
  try {
    await client.query('BEGIN');
    try {
      const checkpoint = await readCheckpoint(client, schema, true);
      if (!checkpoint) throw new Error(`${schema} has no checkpoint`);
      if (checkpoint.version !== projection.version)
        throw new Error(
          `${schema} holds version ${checkpoint.version}; this instance runs version ${projection.version} and will not write it`,
        );
      const entries = await listQuarantine(client, name, { forUpdate: true });
      const table = qualified(schema, QUARANTINE_TABLE);
      for (const entry of entries) {
        retried += 1;
        const [event] = await deps.store.readAll(
          entry.position > 0 ? { after: entry.position - 1, maxCount: 1 } : { maxCount: 1 },
        );
        if (!event || event.position !== entry.position || event.id !== entry.eventId) {
          await client.query(`DELETE FROM ${table} WHERE position = $1`, [entry.position]);
          gone += 1;
          continue;
        }
        await client.query('SAVEPOINT projection_retry');
        try {
          await projection.handle([event], client, schema);
          await client.query('RELEASE SAVEPOINT projection_retry');
          await client.query(`DELETE FROM ${table} WHERE position = $1`, [entry.position]);
          applied += 1;
        } catch (error) {
          if (classifyFailure(error) !== 'data') throw error;
          await rollbackTo(client, 'projection_retry', error);
          await quarantineEvent(client, name, schema, event, shortErrorMessage(error));
          stillFailing += 1;
        }
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    const remaining = await listQuarantine(client, name, { limit: 100 });
    deps.logger.info(
      { projection: name, retried, applied, stillFailing, gone },
      'projection quarantine retried',
    );
    return { name, retried, applied, stillFailing, gone, remaining };
  } finally {
    await client.end().catch(() => undefined);
  }
}
