/**
 * The EventStoreDB adapter through the shared contract suite, unchanged. By default against the
 * in-process stand-in (a fresh node per test); with EVENTSTORE_TEST_URL set, against that real server
 * (or cluster), each test in a namespace of its own so runs and tests do not see each other's events.
 */
import { randomUUID } from 'node:crypto';
import { describeEventStoreContract } from '../testing';
import { startEsdbStandIn } from '../testing/esdb-standin';
import { createEventStoreDbEventStore } from './eventstoredb-event-store.adapter';

const realServer = process.env.EVENTSTORE_TEST_URL;

describeEventStoreContract(
  realServer ? `EventStoreDB at ${realServer}` : 'EventStoreDB (stand-in)',
  async () => {
    if (realServer) {
      const store = createEventStoreDbEventStore(realServer, { namespace: `contract-${randomUUID()}/` });
      return { store, teardown: () => store.close() };
    }
    const standIn = await startEsdbStandIn();
    const store = createEventStoreDbEventStore(standIn.url);
    return {
      store,
      teardown: async () => {
        await store.close();
        await standIn.stop();
      },
    };
  },
);
