/** The engine's configuration, read once from the environment (see the README's table). */
import { resolve } from 'node:path';
import { loadWebConfig, WebConfigError, type WebConfig } from '../../../web/src/web-config';
import { AuthConfigError, loadAuthConfig, type AuthConfig } from '../auth/auth-config';
import { loadSstuConfig, SstuConfigError, type SstuConfig } from '../reports/get-sstu-export/sstu-config';

export type NonWorkingDayRule = 'preceding' | 'following';

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  /** the schema owner's connection, for migrations; the runtime role's is databaseUrl */
  databaseMigrationUrl?: string;
  eventStoreUrl?: string;
  jwtSecret?: string;
  /** token rules, identity provider, rate and stream limits (auth/auth-config.ts) */
  auth: AuthConfig;
  timeZone: string;
  nonWorkingDayRule: NonWorkingDayRule;
  termDays: number;
  registrationNumberPattern: string;
  anonymousInitial: string;
  productionCalendarFile?: string;
  regionalHolidays: string[];
  presidentialDaysOff: boolean;
  classifierFile?: string;
  reminderTickMs: number;
  reminderDaysBefore: number;
  reminderWebhookUrl?: string;
  /** webhook retries: first delay, doubled per failure up to the cap; per-request timeout */
  reminderWebhookBackoffMs: number;
  reminderWebhookMaxBackoffMs: number;
  reminderWebhookTimeoutMs: number;
  reportCategoriesFile?: string;
  databasePoolSize: number;
  /**
   * group commit of concurrent appends to the PostgreSQL event store (docs/event-store.md):
   * false = every append alone; else the most appends per statement and statements in flight
   */
  eventStoreAppendBatch: { maxSize: number; maxInFlight: number } | false;
  /**
   * group commit of concurrent registrations with the events in PostgreSQL (docs/event-store.md):
   * false = every registration alone through register_appeal(); else the most registrations per
   * statement and statements in flight
   */
  registrationBatch: { maxSize: number; maxInFlight: number } | false;
  /** appeals whose folded state is kept in memory */
  appealCacheSize: number;
  personalDataMasterKey?: string;
  /** base64 32-byte key of the applicants' blind index; default kept in DATA_DIR/secrets */
  applicantIndexKey?: string;
  logLevel: string;
  /** run the projection runner and reminder process in this instance */
  runProjections: boolean;
  /** events per page read by the projections (a rebuild's transaction; a live batch at most) */
  projectionBatchSize: number;
  /** events per projection transaction while catching up (pages gathered; at least the batch size) */
  projectionCatchUpBatchSize: number;
  runReminders: boolean;
  /** base64 key signing event-store checkpoints; default generated in DATA_DIR/secrets */
  integrityKey?: string;
  /** minutes between signed event-store checkpoints; 0 = none */
  integrityCheckpointMinutes: number;
  /** the web application: sessions, proxy (apps/web) */
  web: WebConfig;
  smtp?: { url: string; from: string; to: Record<string, string>; officeHours: { from: number; to: number } };
  /** hardening (docs/operations.md#hardening) */
  hardening: HardeningConfig;
  /** the ССТУ.РФ identifiers for the monthly export (docs/sstu.md) */
  sstu: SstuConfig;
}

export interface HardeningConfig {
  /** Bearer token Prometheus sends to GET /metrics (admin tokens are accepted too) */
  metricsToken?: string;
  /** a second listener on 127.0.0.1 serving /metrics without a token */
  metricsPort?: number;
  /** HMAC-SHA256 key signing reminder webhook bodies (X-Appeal-Ledger-Signature) */
  webhookSecret?: string;
  /** refuse to send SMTP credentials or mail without STARTTLS (default true) */
  smtpRequireTls: boolean;
  /** how long an Idempotency-Key is remembered, in seconds */
  idempotencyKeyTtlSeconds: number;
  /** an appeal's file is due for the expert commission this many years after closure */
  retentionYears: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const TIME_ZONE_OK = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/**
 * DEADLINE_TERM_DAYS: the consideration term, at most the 30 days of 59-FZ art. 12 ч.1 (a regional law
 * may set less); a longer one would let every appeal run past the law's term.
 */
function termDays(env: NodeJS.ProcessEnv): number {
  const raw = env.DEADLINE_TERM_DAYS;
  if (raw !== undefined && raw !== '' && Number.isInteger(Number(raw)) && Number(raw) > 30) {
    throw new ConfigError(
      `DEADLINE_TERM_DAYS must be at most 30, got "${raw}": 59-FZ art. 12 ч.1 gives 30 days to consider an appeal (a regional law may set less, never more); a shorter term for one appeal is registered with termDays and termBasis`,
    );
  }
  return int(env, 'DEADLINE_TERM_DAYS', 30, 1, 30);
}

/**
 * A group-commit setting: `name` is `on` (default: up to 64 per statement), `off`, or the most per
 * statement (2–1000); `inFlightName` the statements at once (default 2). EVENT_STORE_APPEND_BATCH and
 * EVENT_STORE_APPEND_BATCHES_IN_FLIGHT for appends; REGISTRATION_BATCH and
 * REGISTRATION_BATCHES_IN_FLIGHT for registrations (ignored with the events in EventStoreDB).
 */
function batchSetting(
  env: NodeJS.ProcessEnv,
  name: 'EVENT_STORE_APPEND_BATCH' | 'REGISTRATION_BATCH',
  inFlightName: 'EVENT_STORE_APPEND_BATCHES_IN_FLIGHT' | 'REGISTRATION_BATCHES_IN_FLIGHT',
): { maxSize: number; maxInFlight: number } | false {
  const raw = (optional(env, name) ?? 'on').toLowerCase();
  const maxInFlight = int(env, inFlightName, 2, 1, 64);
  if (raw === 'off') return false;
  if (raw === 'on') return { maxSize: 64, maxInFlight };
  const maxSize = Number(raw);
  if (!Number.isInteger(maxSize) || maxSize < 2 || maxSize > 1000)
    throw new ConfigError(`${name} must be on, off or an integer from 2 to 1000, got "${raw}"`);
  return { maxSize, maxInFlight };
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function optional(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

/** Reads and validates the configuration; throws ConfigError naming the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const timeZone = optional(env, 'APPEALS_TIMEZONE') ?? 'Asia/Novokuznetsk';
  if (!TIME_ZONE_OK(timeZone))
    throw new ConfigError(`APPEALS_TIMEZONE "${timeZone}" is not a known IANA time zone`);
  const rule = optional(env, 'DEADLINE_NONWORKING_RULE') ?? 'preceding';
  if (rule !== 'preceding' && rule !== 'following') {
    throw new ConfigError(`DEADLINE_NONWORKING_RULE must be "preceding" or "following", got "${rule}"`);
  }
  const eventStoreUrl = optional(env, 'EVENTSTORE_URL');
  // @eventstore/db-client 6.2 parses esdb:// and esdb+discover:// only (KurrentDB servers accept them too).
  if (eventStoreUrl && !/^esdb(\+discover)?:\/\//.test(eventStoreUrl)) {
    throw new ConfigError(
      `EVENTSTORE_URL must be an esdb:// or esdb+discover:// connection string, got "${eventStoreUrl}"`,
    );
  }
  const regional = (optional(env, 'REGIONAL_HOLIDAYS') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const day of regional) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day))
      throw new ConfigError(`REGIONAL_HOLIDAYS: "${day}" is not YYYY-MM-DD`);
  }
  const smtpUrl = optional(env, 'SMTP_URL');
  const dataDir = resolve(optional(env, 'DATA_DIR') ?? './data');
  let web: WebConfig;
  let auth: AuthConfig;
  let sstu: SstuConfig;
  try {
    web = loadWebConfig(env);
    auth = loadAuthConfig(env);
    sstu = loadSstuConfig(env);
  } catch (error) {
    throw error instanceof WebConfigError ||
      error instanceof AuthConfigError ||
      error instanceof SstuConfigError
      ? new ConfigError(error.message)
      : error;
  }
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: optional(env, 'HOST') ?? '0.0.0.0',
    dataDir,
    databaseUrl: optional(env, 'DATABASE_URL'),
    databaseMigrationUrl: optional(env, 'DATABASE_MIGRATION_URL'),
    eventStoreUrl,
    jwtSecret: optional(env, 'AUTH_JWT_SECRET'),
    auth,
    timeZone,
    nonWorkingDayRule: rule,
    termDays: termDays(env),
    registrationNumberPattern: optional(env, 'REGISTRATION_NUMBER_PATTERN') ?? '{initial}/{seq}',
    anonymousInitial: optional(env, 'REGISTRATION_ANONYMOUS_INITIAL') ?? 'А',
    productionCalendarFile: optional(env, 'PRODUCTION_CALENDAR_FILE'),
    regionalHolidays: regional,
    presidentialDaysOff: bool(env, 'PRESIDENTIAL_DAYS_OFF', false),
    classifierFile: optional(env, 'CLASSIFIER_FILE'),
    reminderTickMs: int(env, 'REMINDER_TICK_MS', 60000, 50, 86_400_000),
    reminderDaysBefore: int(env, 'REMINDER_DAYS_BEFORE', 3, 0, 30),
    reminderWebhookUrl: optional(env, 'REMINDER_WEBHOOK_URL'),
    reminderWebhookBackoffMs: int(env, 'REMINDER_WEBHOOK_BACKOFF_MS', 1000, 1, 3_600_000),
    reminderWebhookMaxBackoffMs: int(env, 'REMINDER_WEBHOOK_MAX_BACKOFF_MS', 60_000, 1, 86_400_000),
    reminderWebhookTimeoutMs: int(env, 'REMINDER_WEBHOOK_TIMEOUT_MS', 10_000, 100, 600_000),
    reportCategoriesFile: optional(env, 'REPORT_CATEGORIES_FILE'),
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 24, 2, 200),
    eventStoreAppendBatch: batchSetting(
      env,
      'EVENT_STORE_APPEND_BATCH',
      'EVENT_STORE_APPEND_BATCHES_IN_FLIGHT',
    ),
    registrationBatch: batchSetting(env, 'REGISTRATION_BATCH', 'REGISTRATION_BATCHES_IN_FLIGHT'),
    appealCacheSize: int(env, 'APPEAL_CACHE_SIZE', 1000, 0, 1_000_000),
    personalDataMasterKey: optional(env, 'PERSONAL_DATA_MASTER_KEY'),
    applicantIndexKey: optional(env, 'APPLICANT_INDEX_KEY'),
    logLevel: optional(env, 'LOG_LEVEL') ?? 'info',
    runProjections: bool(env, 'RUN_PROJECTIONS', true),
    projectionBatchSize: int(env, 'PROJECTION_BATCH_SIZE', 5000, 1, 100_000),
    projectionCatchUpBatchSize: int(env, 'PROJECTION_CATCH_UP_BATCH_SIZE', 10_000, 1, 200_000),
    runReminders: bool(env, 'RUN_REMINDERS', true),
    integrityKey: optional(env, 'EVENT_STORE_INTEGRITY_KEY'),
    integrityCheckpointMinutes: int(env, 'EVENT_STORE_CHECKPOINT_MINUTES', 60, 0, 10_080),
    web,
    hardening: loadHardening(env),
    sstu,
    smtp: smtpUrl
      ? {
          url: smtpUrl,
          from: optional(env, 'SMTP_FROM') ?? 'appeal-ledger@localhost',
          to: parseDepartmentMail(optional(env, 'REMINDER_EMAIL_TO') ?? ''),
          officeHours: parseOfficeHours(optional(env, 'REMINDER_EMAIL_OFFICE_HOURS') ?? '9-18'),
        }
      : undefined,
  };
}

function loadHardening(env: NodeJS.ProcessEnv): HardeningConfig {
  const metricsToken = optional(env, 'METRICS_TOKEN');
  if (metricsToken !== undefined && (metricsToken.length < 16 || /\s/.test(metricsToken)))
    throw new ConfigError('METRICS_TOKEN must be at least 16 characters without spaces');
  const webhookSecret = optional(env, 'WEBHOOK_SECRET');
  if (webhookSecret !== undefined && Buffer.byteLength(webhookSecret) < 16)
    throw new ConfigError('WEBHOOK_SECRET must be at least 16 bytes');
  const metricsPort = optional(env, 'METRICS_PORT');
  return {
    metricsToken,
    metricsPort: metricsPort === undefined ? undefined : int(env, 'METRICS_PORT', 0, 0, 65535),
    webhookSecret,
    smtpRequireTls: bool(env, 'SMTP_REQUIRE_TLS', true),
    idempotencyKeyTtlSeconds: duration(env, 'IDEMPOTENCY_KEY_TTL', 24 * 3600, 1, 366 * 24 * 3600),
    retentionYears: int(env, 'RETENTION_YEARS', 5, 1, 100),
  };
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90s`, `15m`, `24h`, `7d` or plain seconds, in seconds. */
function duration(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const m = /^(\d+)\s*([smhd]?)$/.exec(raw);
  const value = m ? Number(m[1]) * DURATION_UNITS[m[2] || 's'] : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new ConfigError(
      `${name} must be a duration like 3600, 90m, 24h or 7d (${min} s to ${max} s), got "${raw}"`,
    );
  return value;
}

/** `Отдел ЖКХ=zhkh@adm.example,*=org@adm.example` → department → address ("*" for every other). */
function parseDepartmentMail(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = pair.lastIndexOf('=');
    if (at <= 0) throw new ConfigError(`REMINDER_EMAIL_TO: "${pair}" is not department=address`);
    out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return out;
}

function parseOfficeHours(raw: string): { from: number; to: number } {
  const m = /^(\d{1,2})-(\d{1,2})$/.exec(raw);
  if (!m) throw new ConfigError(`REMINDER_EMAIL_OFFICE_HOURS must look like 9-18, got "${raw}"`);
  const from = Number(m[1]);
  const to = Number(m[2]);
  if (from >= to || to > 24) throw new ConfigError(`REMINDER_EMAIL_OFFICE_HOURS: bad range "${raw}"`);
  return { from, to };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
