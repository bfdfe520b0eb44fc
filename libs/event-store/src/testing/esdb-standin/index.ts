/** The EventStoreDB stand-in (TEST CODE ONLY): an in-process gRPC server speaking the client's protocol. */
export {
  startEsdbStandIn,
  startEsdbStandInCluster,
  type EsdbStandIn,
  type EsdbStandInCluster,
  type EsdbStandInOptions,
} from './esdb-standin.server';
export { StandInLog, type LogRecord, type StandInLogOptions } from './standin-log.store';
export type { InjectedFault } from './streams.handler';
