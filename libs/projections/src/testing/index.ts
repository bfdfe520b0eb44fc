// Test helpers of the projections library (not part of its runtime API).
export { EventLog, testMetadata } from './event-log';
export { applyEvents, createReadModel, dumpTables } from './projection-harness';
export { syntheticAppealEvents, type SyntheticAppealEvent, type SyntheticOptions } from './synthetic-appeals';
export { appendUpToWeek50, appendWeek51, HOUSING, ROADS } from './control-scenario';
