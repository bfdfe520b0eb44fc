/** EventStoreDB / KurrentDB adapter of the EventStore port. */
export {
  EventStoreDbEventStore,
  createEventStoreDbEventStore,
  type EventStoreDbOptions,
} from './eventstoredb-event-store.adapter';
export type { ResubscribePolicy } from './eventstoredb-all-subscription.adapter';
