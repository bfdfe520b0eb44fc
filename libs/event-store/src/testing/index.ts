/** Test helpers of the event store library (`@appeal-ledger/event-store/testing`); not part of the build. */
export { describeEventStoreContract, type EventStoreUnderTest } from './event-store.contract';
export {
  startEsdbStandIn,
  startEsdbStandInCluster,
  type EsdbStandIn,
  type EsdbStandInCluster,
  type EsdbStandInOptions,
} from './esdb-standin';
