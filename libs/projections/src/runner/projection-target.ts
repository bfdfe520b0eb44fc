/**
 * A projection as the target of a checkpointed consumer (consumer/checkpointed-consumer.ts): on
 * becoming active it makes the live schema exist and decides whether to rebuild (a newer version
 * of the projection, or an empty read model facing a long store); then each batch is one
 * transaction of projection-batch.ts on the live schema.
 */
import type { Client } from 'pg';
import type { ApplyContext, ConsumerTarget } from '../consumer/checkpointed-consumer';
import type { EngineLogger } from '../consumer/logger';
import type { Projection } from '../projection.port';
import { liveSchema } from '../projection.port';
import type { EventStore, RecordedEvent } from '../shared/event-store';
import { applyBatch } from './projection-batch';
import { ensureProjectionSchemas, readCheckpoint } from './projection-schema';

export interface ProjectionTargetDeps {
  store: EventStore;
  logger: EngineLogger;
  /** an empty read model facing more events than this is built by a rebuild (0: never) */
  rebuildFromScratchAbove: number;
  rebuild(name: string): Promise<unknown>;
}

export class ProjectionTarget implements ConsumerTarget {
  private readonly schema: string;
  /** the catch-up reads leanly for a projection that folds from its events' data alone */
  readonly fields: 'all' | 'fold';

  constructor(
    private readonly projection: Projection,
    private readonly deps: ProjectionTargetDeps,
  ) {
    this.schema = liveSchema(projection.name);
    this.fields = projection.foldsFromDataAlone === true ? 'fold' : 'all';
  }

  async open(session: Client): Promise<number> {
    const { name, version } = this.projection;
    const { logger } = this.deps;
    await ensureProjectionSchemas(session, [this.projection]);
    const checkpoint = await readCheckpoint(session, this.schema);
    if (checkpoint && checkpoint.version < version) {
      logger.info(
        { projection: name, from: checkpoint.version, to: version },
        'projection version changed; rebuilding',
      );
      await this.deps.rebuild(name);
    } else if (checkpoint?.position === 0 && this.deps.rebuildFromScratchAbove > 0) {
      const head = await this.deps.store.headPosition();
      if (head > this.deps.rebuildFromScratchAbove) {
        logger.info({ projection: name, head }, 'empty read model, long store: building it by a rebuild');
        await this.deps.rebuild(name);
      }
    }
    return this.reread(session);
  }

  /** The live checkpoint, if this instance may write it (same version). */
  async reread(session: Client): Promise<number> {
    const checkpoint = await readCheckpoint(session, this.schema);
    if (!checkpoint) throw new Error(`${this.schema} has no checkpoint`);
    if (checkpoint.version !== this.projection.version) {
      throw new Error(
        `${this.schema} holds version ${checkpoint.version}; this instance runs version ${this.projection.version} and will not write it`,
      );
    }
    return checkpoint.position;
  }

  apply(
    session: Client,
    from: number,
    events: readonly RecordedEvent[],
    _context: ApplyContext,
  ): Promise<number> {
    return applyBatch(session, this.projection, this.schema, from, events, {
      ownTransaction: true,
      notify: true,
      logger: this.deps.logger,
    });
  }
}
