// Public API of the projections library (`@appeal-ledger/projections`). Explicit list: what is not here is internal.

export type { HandleContext, Projection, SqlExecutor } from './projection.port';
export { liveSchema } from './projection.port';

export { qualified } from './shared/sql';
export type { ColumnType, ColumnTypes } from './shared/sql-batch';
export { upsertRows } from './shared/sql-batch';

// The checkpointed consumer engine: projections and reminder deliveries run on it.
export type {
  ApplyContext,
  CheckpointedConsumerOptions,
  ConsumerRole,
  ConsumerTarget,
} from './consumer/checkpointed-consumer';
export { CheckpointedConsumer } from './consumer/checkpointed-consumer';
export { CheckpointMovedError, CheckpointRow, expectCheckpoint } from './consumer/checkpoint';
export type { EngineLogger } from './consumer/logger';
export { consoleWarnings } from './consumer/logger';
export type { ReplayOptions, StreamPage } from './consumer/replay';
export { replayPages, streamOrderPages } from './consumer/replay';

export type { ProjectionRunnerOptions, ProjectionStatus } from './runner/projection-runner';
export { ProjectionRunner, UnknownProjectionError } from './runner/projection-runner';
export type { RebuildResult } from './runner/projection-rebuild';
export { RebuildInProgressError } from './runner/projection-rebuild';
export type { RetryResult } from './runner/projection-retry';
export { ProjectionProgress } from './runner/projection-progress';
export { CHECKPOINT_TABLE, ensureProjectionSchemas, PROGRESS_CHANNEL } from './runner/projection-schema';
export type { QuarantinedEvent } from './runner/projection-quarantine';
export { QUARANTINE_TABLE } from './runner/projection-quarantine';
export type { FailureKind } from './shared/event-failure';
export { classifyFailure, shortErrorMessage } from './shared/event-failure';

export type { ControlAppealRow, ControlAppealState } from './control/control.evolve';
export type { ControlProjectionOptions } from './control/control.projection';
export { CONTROL_PROJECTION, CONTROL_SCHEMA, ControlProjection } from './control/control.projection';
export type {
  ControlFilters,
  ControlPage,
  ControlQueryContext,
  ControlRow,
} from './control/control-rows.query';
export {
  CONTROL_STATES,
  DEFAULT_CONTROL_LIMIT,
  findControlRows,
  MAX_CONTROL_LIMIT,
  toControlRow,
} from './control/control-rows.query';

export type { AppealFlag, AppealFlagFilters } from './control/flag-filters';
export { APPEAL_FLAG_FILTERS, flagFilterSql, validateFlagFilters } from './control/flag-filters';

export type { JournalAppealRow } from './journal/journal.evolve';
export type { JournalProjectionOptions } from './journal/journal.projection';
export { JOURNAL_PROJECTION, JOURNAL_SCHEMA, JournalProjection } from './journal/journal.projection';
export type {
  JournalFilters,
  JournalPage,
  JournalQueryContext,
  JournalRow,
} from './journal/journal-rows.query';
export {
  DEFAULT_JOURNAL_LIMIT,
  findJournalRows,
  JOURNAL_CHANNELS,
  MAX_JOURNAL_EXPORT_LIMIT,
  MAX_JOURNAL_LIMIT,
} from './journal/journal-rows.query';

export type {
  WeeklyAppealRef,
  WeeklyDepartmentLine,
  WeeklyOverdueAppeal,
  WeeklyReport,
  WeeklyReportOptions,
} from './weekly/weekly-report.query';
export { weeklyControlReport } from './weekly/weekly-report.query';

export type { StatisticsProjectionOptions } from './statistics/statistics.projection';
export {
  STATISTICS_PROJECTION,
  STATISTICS_SCHEMA,
  StatisticsProjection,
} from './statistics/statistics.projection';
export type { SummaryOptions, SummaryReport } from './statistics/summary-report.query';
export { SummaryReports } from './statistics/summary-report.query';
export type { ReportCategory } from './statistics/report-categories';
export {
  DEFAULT_REPORT_CATEGORIES,
  loadReportCategories,
  parseReportCategories,
} from './statistics/report-categories';

export type { Comparison } from './shared/comparison';
export { changePercent, compare } from './shared/comparison';
export type { DateRange } from './shared/business-date';
export { isoWeekOf, isoWeekRange } from './shared/business-date';
export { InvalidReportQueryError } from './shared/errors';
export type { RowScope } from './shared/row-scope';
export { rowScopeSql } from './shared/row-scope';

export type { CsvCell } from './documents/csv';
export { CSV_CONTENT_TYPE, HTML_CONTENT_TYPE, toCsv, XLSX_CONTENT_TYPE } from './documents/csv';
export {
  MONTH_NAMES,
  summaryCsv,
  summaryHtml,
  summaryTitle,
  summaryXlsx,
} from './documents/summary-report.document';
export { weeklyCsv, weeklyHtml, weeklyTitle, weeklyXlsx } from './documents/weekly-report.document';

export type {
  SstuAppealRow,
  SstuAppealState,
  SstuChange,
  SstuQuestionState,
  SstuSource,
} from './sstu/sstu.evolve';
export { evolveSstu, joinedTo, sstuStateAt } from './sstu/sstu.evolve';
export type { SstuProjectionOptions } from './sstu/sstu.projection';
export {
  findSstuMonth,
  findSstuRows,
  SSTU_PROJECTION,
  SSTU_SCHEMA,
  SstuProjection,
} from './sstu/sstu.projection';
export type {
  SstuApplicant,
  SstuExport,
  SstuExportConfig,
  SstuProblem,
  SstuQuestion,
  SstuRecord,
  SstuStatus,
  SstuTransfer,
} from './sstu/sstu-export';
export {
  buildSstuExport,
  inSstuMonth,
  SSTU_STATUSES,
  sstuMonth,
  sstuRecordOf,
  sstuReportedStateAt,
  sstuStatusOf,
} from './sstu/sstu-export';
