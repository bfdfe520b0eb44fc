/**
 * The registration's candidates, without waiting for the read models (docs/applicant-matching.md):
 * the new appeal's blind-index keys are computed from the plaintext in the request — the same
 * normalisation and key as the index — and looked up at once:
 *
 * - in the index read model (`rm_applicant_index.entries`), for the appeals it has applied (the
 *   newest MAX_MATCHES matches: an address shared by thousands of appeals costs no more);
 * - in the registrations it has not applied yet: the `AppealRegistered` events of the store's tail
 *   after its checkpoint (usually none or a few), opened with their applicants' keys and hashed in
 *   memory, as the projection will (each registration's keys are kept, `RegisteredKeys`, so a tail
 *   is not hashed again by the next registration).
 *
 * Each earlier appeal found (registered before the new one) comes with its state and dates from the
 * journal read model when its row has every event of the appeal's stream, or else — the journal lags
 * (an answer sent a moment ago) or does not have it yet — from its own stream, in the journal's
 * terms; the streams are read in one round trip, from the folds the engine has cached. So an appeal
 * registered a moment before, of the same applicant written another way, is a candidate of the next
 * registration, whatever the projections' lag.
 */
import {
  APPEAL_STREAM_PREFIX,
  type AppealRegistered,
  type RegisteredAppealState,
} from '@appeal-ledger/appeal';
import type { Pool } from 'pg';
import type { EventStore, RecordedEvent } from '@appeal-ledger/event-store';
import { CHECKPOINT_TABLE, JOURNAL_SCHEMA } from '@appeal-ledger/projections';
import type { PersonalDataVault, SealedApplicant } from '../personal-data/personal-data.vault';
import { APPLICANT_INDEX_SCHEMA } from './applicant-index.projection';
import { REGISTRATION_LOOKUP_V1 } from './registration-lookup-v1';
import { LruCache } from '../shared/lru-cache';
import type { BlindIndex } from './blind-index';
import { INDEX_KINDS, type IndexKind } from './normalise';
import { terminationsForKeysSql, type TerminationRow } from './correspondence-terminations';
import type { RelatedAppeal } from './related-appeals';
import { proposeRelation, sameQuestion, themeOf, type RelationKind } from './repeat-rule';

/**
 * Events read past the read models' checkpoints at most: registrations beyond are found by GET
 * …/related once the index caught up; candidates beyond are read from their streams.
 */
export const MAX_TAIL = 2000;

/**
 * Earlier appeals the registration answer names at most: the newest on the same question (GET
 * …/related lists every one). Each is read from its stream to be current, so this bounds the work of
 * a registration whatever the applicant's history (an address shared by hundreds of appeals).
 */
export const MAX_CANDIDATES = 20;

/**
 * Index matches read at most: of the newest MAX_SCANNED registrations sharing each key, the newest on
 * one of the new appeal's questions by the journal (or not in the journal yet).
 */
export const MAX_MATCHES = 3 * MAX_CANDIDATES;
export const MAX_SCANNED = 3 * MAX_CANDIDATES;

export interface NewAppeal {
  id: string;
  /** position of its AppealRegistered */
  position: number;
  /** administration-local registration date */
  registeredOn: string;
  questionCodes: readonly string[];
  /** the applicants as the registrar typed them (plaintext; never stored) */
  applicants: readonly { name?: string; address?: string; email?: string; phone?: string }[];
}

/** What the rule and the answer need of an earlier appeal: the journal's columns. */
export interface CandidateFacts {
  number: string;
  state: string;
  received_on: string;
  registered_on: string;
  due_date: string;
  resolved_on: string | null;
  off_control_on: string | null;
  resolution_kind: string | null;
  question_codes: string[];
  department: string | null;
  executor_id: string | null;
}

export interface CandidateDeps {
  vault: PersonalDataVault;
  index: BlindIndex;
  /** the index's checkpoint and the store's tail after it (registrationLookup) */
  lookup: RegistrationLookup;
  /** the index keys of registrations hashed before (by this engine) */
  registered: RegisteredKeys;
  /** appeals' facts from their streams, with the position of each one's last event (one read) */
  fromStreams(
    appealIds: readonly string[],
  ): Promise<Map<string, { facts: CandidateFacts; position: number }>>;
}

type IndexKey = { kind: IndexKind; digest: string };

/**
 * An earlier appeal the index matches with the registration's keys (registered before it), with the
 * journal's row of it if the journal has one.
 */
interface IndexedMatch {
  appeal_id: string;
  kinds: IndexKind[];
  /** its registration's position */
  position: number;
  /** the journal's row (with the position of the last event it applied), null if not in it yet */
  journal: (CandidateFacts & { position: number }) | null;
  /** the registrar's decision on relating the new appeal to this one, if one was taken */
  link: { kind: RelationKind; status: 'confirmed' | 'rejected'; decided_at: string | null } | null;
}

/**
 * What a registration's lookups share, read in one statement and one read of the store's tail: the
 * new appeal's index keys (hashed once), the index's committed checkpoint, the index's matches of the
 * keys (with their journal rows and the registrar's decisions), the terminations of correspondence
 * the index holds for the keys, and the registrations and terminations the store holds after the
 * checkpoint and before the new appeal (at most MAX_TAIL) — the ones the index has not applied.
 */
export interface RegistrationLookup {
  keys: readonly IndexKey[];
  indexCheckpoint: number;
  /** the newest MAX_CANDIDATES appeals the index matches, newest first */
  indexed: readonly IndexedMatch[];
  terminations: readonly TerminationRow[];
  tail: readonly RecordedEvent[];
  /** false when the tail was cut at MAX_TAIL (events after it are not known) */
  complete: boolean;
}

/** The events of a registration's lookup the index has not applied yet. */
const UNAPPLIED_TYPES = ['AppealRegistered', 'CorrespondenceTerminated'];

/**
 * The lookup's statement: the index's checkpoint, matches and terminations in one snapshot — so the
 * tail read after the checkpoint holds exactly what the matches and terminations lack.
 *
 * Matches: per key, its newest entries registered before the new appeal (MAX_SCANNED), read backwards
 * along the (digest, position) index — an appeal's entries carry its registration's position — and
 * gathered by appeal (the keys it matched, its entries); newest first, each appeal's journal row is
 * read once, by key, to keep those on one of the new appeal's questions (or not in the journal yet),
 * until MAX_CANDIDATES are kept — no more can be named — or their entries reach MAX_MATCHES (an appeal
 * is kept while fewer of the kept ones' entries come before it). Each comes with the keys it matched,
 * its journal row (the same read) and the registrar's decision if one was taken. An address shared by
 * thousands of appeals reads a few hundred index rows and at most one journal row per appeal scanned
 * (usually MAX_CANDIDATES: the scan stops when enough are kept). Terminations: the decisions (59-FZ
 * art. 11 ч.5) on one of the new appeal's questions by an appeal sharing one of its keys, taken on or
 * before its registration day.
 *
 * Migration 2 of `registration_lookup()`. Migration 1's statement (registration-lookup-v1.ts) looked
 * the journal up for every index entry scanned and again for the appeals kept; it answers the same
 * matches in the same order, except that an appeal cut by MAX_MATCHES in the middle of its entries
 * there had some of its keys only (which ones, the sort's tie order decided) and here has all of them.
 */
export function lookupStatement(index: string, journal: string): string {
  return `WITH scanned AS (
      SELECT e.appeal_id, array_agg(DISTINCT e.kind) AS kinds, max(e.position) AS position,
             count(*) AS entries
        FROM unnest($1::text[]) AS d(digest)
        CROSS JOIN LATERAL (
          SELECT x.appeal_id, x.kind, x.position FROM ${index}.entries x
           WHERE x.digest = d.digest AND x.position < $11 AND x.appeal_id <> $2
           ORDER BY x.position DESC LIMIT $6) e
       GROUP BY e.appeal_id
       ORDER BY max(e.position) DESC),
    kept AS (
      -- newest first, one lookup of the journal by its key per appeal (LIMIT 1: never flattened into
      -- a join, which may be planned as a scan of the whole journal while its table is young), and
      -- only until enough are kept
      SELECT s.appeal_id, s.kinds, s.position, s.entries,
             CASE WHEN j.appeal_id IS NULL THEN NULL ELSE json_build_object(
               'number', j.number, 'state', j.state, 'received_on', j.received_on,
               'registered_on', j.registered_on, 'due_date', j.due_date, 'resolved_on', j.resolved_on,
               'off_control_on', j.off_control_on, 'resolution_kind', j.resolution_kind,
               'question_codes', j.question_codes, 'department', j.department,
               'executor_id', j.executor_id, 'position', j.position) END AS journal
        FROM scanned s
        LEFT JOIN LATERAL (
          SELECT a.appeal_id, a.number, a.state, a.received_on, a.registered_on, a.due_date,
                 a.resolved_on, a.off_control_on, a.resolution_kind, a.question_codes, a.department,
                 a.executor_id, a.position
            FROM ${journal}.appeals a WHERE a.appeal_id = s.appeal_id LIMIT 1) j ON true
       WHERE j.appeal_id IS NULL
          OR EXISTS (SELECT 1 FROM unnest(j.question_codes) AS q(code)
                      WHERE q.code = ANY($4::text[])
                         OR array_to_string((string_to_array(q.code, '.'))[1:2], '.') = ANY($5::text[]))
       ORDER BY s.position DESC LIMIT least($3::int, $12::int)),
    newest AS (
      -- MAX_MATCHES counts entries: an appeal is kept while fewer than that come before it
      SELECT k.*, sum(k.entries) OVER (ORDER BY k.position DESC ROWS UNBOUNDED PRECEDING) - k.entries AS before
        FROM kept k),
    decided AS (${terminationsForKeysSql(index, {
      kinds: '$7',
      digests: '$8',
      codes: '$4',
      appealId: '$2',
      registeredOn: '$9',
      timeZone: '$10',
    })})
    SELECT (SELECT position::text FROM ${index}.${CHECKPOINT_TABLE}) AS checkpoint,
           (SELECT coalesce(json_agg(json_build_object(
                     'appeal_id', n.appeal_id, 'kinds', n.kinds, 'position', n.position,
                     'journal', n.journal,
                     'link', CASE WHEN l.appeal_id IS NULL THEN NULL ELSE json_build_object(
                       'kind', l.kind, 'status', l.status, 'decided_at', l.decided_at) END)
                   ORDER BY n.position DESC), '[]'::json)
              FROM newest n
              LEFT JOIN ${index}.links l ON l.appeal_id = $2 AND l.related_id = n.appeal_id
             WHERE n.before < $3::int) AS matches,
           (SELECT coalesce(json_agg(d ORDER BY d.decided_at::timestamptz DESC, d.termination_appeal_id),
                            '[]'::json)
              FROM decided d) AS terminations`;
}

/** The function's header and settings, the same in every migration of it. */
const registrationLookupFunction = (
  statement: string,
): string => `CREATE OR REPLACE FUNCTION registration_lookup(
            text[], text, int, text[], text[], int, text[], text[], date, text, bigint, int)
          RETURNS TABLE (checkpoint text, matches json, terminations json)
          LANGUAGE plpgsql STABLE
          SET plan_cache_mode = force_generic_plan
          SET enable_seqscan = off
          SET enable_bitmapscan = off
          SET enable_hashjoin = off
          SET enable_mergejoin = off
          AS $fn$
          #variable_conflict use_column
          BEGIN
            RETURN QUERY ${statement};
          END
          $fn$;`;

/**
 * The lookup's statement as a function (migrated by the owner), so that its plan does not depend on
 * per-call planning. As a prepared statement it was planned on every call (a custom plan's estimate
 * never loses to the generic one here): 1.1–1.4 ms of planning against 0.2 ms of execution per call
 * under the lifecycle benchmark (docs/benchmarks.md, session 10). In PL/pgSQL the statement is planned
 * once per session, generic (`force_generic_plan`), and — since that one plan may be made while the
 * tables are young and unanalysed, and is then kept while they grow — with every access by index:
 * sequential and bitmap scans, hash and merge joins are ruled out for this function alone, as for
 * `append_events()` (event store migration 4). The statement names the live schemas (`rm_*`); a
 * rebuild swaps them by renaming, which invalidates every cached plan of every session (a schema's
 * rename resets PostgreSQL's plan cache), so the next call plans against the new tables
 * (test/registration-candidates.e2e-spec.ts rebuilds and swaps both read models it reads).
 *
 * Applied migrations never change (their checksums are checked): 1 is frozen in
 * registration-lookup-v1.ts; 2 replaces the function with `lookupStatement` (each appeal's journal
 * row read once). A change to the statement is a new migration.
 */
export const REGISTRATION_LOOKUP_MIGRATIONS = [
  REGISTRATION_LOOKUP_V1,
  {
    version: 2,
    name: 'registration-lookup-journal-once',
    sql: registrationLookupFunction(lookupStatement(APPLICANT_INDEX_SCHEMA, JOURNAL_SCHEMA)),
  },
] as const;

/** Prepared by name: the call itself is planned once per connection. */
const LOOKUP = {
  name: 'registration_lookup',
  text: 'SELECT checkpoint, matches, terminations FROM registration_lookup($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)',
} as const;

/**
 * Reads what a registration's lookups share: the statement above, then the store's tail after the
 * index's checkpoint — from the store's memory of the newest events (the live read models keep it
 * current; one refresh shared with them when it ends short of the new appeal), else read.
 */
export async function registrationLookup(
  store: EventStore,
  db: Pick<Pool, 'query'>,
  appeal: Pick<NewAppeal, 'id' | 'position' | 'registeredOn' | 'questionCodes'>,
  keys: readonly IndexKey[],
  timeZone: string,
): Promise<RegistrationLookup> {
  if (keys.length === 0)
    return { keys, indexCheckpoint: 0, indexed: [], terminations: [], tail: [], complete: true };
  const { rows } = await db.query<{
    checkpoint: string | null;
    matches: IndexedMatch[];
    terminations: TerminationRow[];
  }>({
    ...LOOKUP,
    values: [
      [...new Set(keys.map((k) => k.digest))],
      appeal.id,
      MAX_MATCHES,
      appeal.questionCodes,
      appeal.questionCodes.map(themeOf),
      MAX_SCANNED,
      keys.map((k) => k.kind),
      keys.map((k) => k.digest),
      appeal.registeredOn,
      timeZone,
      appeal.position,
      MAX_CANDIDATES,
    ],
  });
  const checkpoint = Number(rows[0]?.checkpoint ?? 0);
  const before = appeal.position;
  const filter = { eventTypes: UNAPPLIED_TYPES, streamPrefixes: [APPEAL_STREAM_PREFIX] };
  const tail =
    checkpoint >= before - 1
      ? []
      : ((await store.readRecent?.(checkpoint, before, filter, MAX_TAIL)) ??
        (await store.readAll({ after: checkpoint, maxCount: MAX_TAIL, filter })));
  return {
    keys,
    indexCheckpoint: checkpoint,
    indexed: rows[0]?.matches ?? [],
    terminations: appeal.questionCodes.length > 0 ? (rows[0]?.terminations ?? []) : [],
    tail: tail.filter((e) => e.position < before),
    complete: tail.length < MAX_TAIL,
  };
}

/**
 * Registrations' index keys by appeal id, as hashed at registration or from a tail (bounded, least
 * recently used out): the same keys the index projection computes from the stored applicants.
 */
export class RegisteredKeys extends LruCache<readonly IndexKey[]> {
  constructor(limit = 5000) {
    super(limit);
  }
}

type StoredApplicant = SealedApplicant & { name?: string; address?: string; email?: string; phone?: string };

const KIND_ORDER: readonly IndexKind[] = INDEX_KINDS;

/** Earlier appeals related to the appeal being registered, for a reader who may see `visible` ones. */
export async function registrationCandidates(
  deps: CandidateDeps,
  appeal: NewAppeal,
  visible: (facts: { department: string | null; executorId: string | null }) => boolean,
): Promise<RelatedAppeal[]> {
  const { lookup } = deps;
  const mine = new Map<string, IndexKind>(); // `${kind}:${digest}` → kind
  for (const e of lookup.keys) mine.set(`${e.kind}:${e.digest}`, e.kind);
  if (mine.size === 0) return [];

  // appeal → the kinds matched and its registration position
  const found = new Map<string, { kinds: Set<IndexKind>; position: number }>();
  const note = (appealId: string, kind: IndexKind, position: number): void => {
    if (appealId === appeal.id || position >= appeal.position) return; // registered after this one
    const entry = found.get(appealId) ?? { kinds: new Set<IndexKind>(), position };
    entry.kinds.add(kind);
    found.set(appealId, entry);
  };

  const indexedRows = new Map<string, IndexedMatch>();
  for (const row of lookup.indexed) {
    for (const kind of row.kinds) note(row.appeal_id, kind, row.position);
    indexedRows.set(row.appeal_id, row);
  }
  // the registrations the index has not applied (their question codes: the journal may not have them)
  const codesOf = new Map<string, string[]>();
  for (const recorded of lookup.tail) {
    if (recorded.type !== 'AppealRegistered') continue;
    const appealId = recorded.streamId.slice(APPEAL_STREAM_PREFIX.length);
    if (appealId === appeal.id) continue;
    codesOf.set(
      appealId,
      (recorded.data as unknown as AppealRegistered['data']).questions.map((q) => q.code),
    );
    let keys = deps.registered.get(appealId);
    if (!keys) deps.registered.set(appealId, (keys = await registrationKeys(deps, recorded)));
    for (const e of keys) if (mine.has(`${e.kind}:${e.digest}`)) note(appealId, e.kind, recorded.position);
  }
  if (found.size === 0) return [];

  // Question codes never change after registration: the index query kept the journal's rows on the
  // same question, the registrations read from the store tell theirs; of those, the newest go on.
  const considered = [...found.keys()]
    .filter((id) => {
      const codes = codesOf.get(id);
      return !codes || sameQuestion(appeal.questionCodes, codes) !== null;
    })
    .sort((a, b) => (found.get(b)?.position ?? 0) - (found.get(a)?.position ?? 0))
    .slice(0, MAX_CANDIDATES);
  // Their journal rows and the registrar's decisions came with the index's matches. Those found in
  // the tail only are taken from their streams, and have no decision: the index applies events in
  // order, so one it has not applied the registration of has not applied a later decision either.
  const rows = new Map<string, CandidateFacts & { position: number }>();
  const decisions = new Map<string, NonNullable<IndexedMatch['link']>>();
  for (const [id, match] of indexedRows) {
    if (match.journal) rows.set(id, match.journal);
    if (match.link) decisions.set(id, match.link);
  }
  const streams = await deps.fromStreams(considered);
  const facts = new Map<string, CandidateFacts>();
  for (const id of considered) {
    const row = rows.get(id);
    const stream = streams.get(id);
    // the journal's row when it has applied the stream's last event (what GET …/related shows)
    if (row && (!stream || row.position >= stream.position)) facts.set(id, row);
    else if (stream) facts.set(id, stream.facts);
  }

  const out: (RelatedAppeal & { registrationPosition: number })[] = [];
  for (const [id, match] of found) {
    const row = facts.get(id);
    if (!row || row.registered_on > appeal.registeredOn) continue;
    const same = sameQuestion(appeal.questionCodes, row.question_codes);
    if (!same || !visible({ department: row.department, executorId: row.executor_id })) continue;
    const resolvedOn = row.resolution_kind ? row.resolved_on : null;
    const decision = decisions.get(id);
    out.push({
      appealId: id,
      number: row.number,
      state: row.state,
      receivedOn: row.received_on,
      registeredOn: row.registered_on,
      dueDate: row.due_date,
      resolvedOn,
      questionCodes: row.question_codes,
      matchedBy: KIND_ORDER.filter((k) => match.kinds.has(k)),
      sameQuestion: same,
      proposed: proposeRelation(
        { resolvedOn, offControlOn: row.off_control_on, dueDate: row.due_date },
        appeal.registeredOn,
      ),
      decision: decision
        ? { status: decision.status, kind: decision.kind, decidedAt: decision.decided_at }
        : null,
      registrationPosition: match.position,
    });
  }
  // newest first, as GET …/related lists them
  out.sort((a, b) =>
    a.registeredOn === b.registeredOn
      ? b.registrationPosition - a.registrationPosition
      : a.registeredOn < b.registeredOn
        ? 1
        : -1,
  );
  return out.map(({ registrationPosition: _position, ...related }) => related);
}

/** A registration's index entries, as the index projection computes them (erased applicants: none). */
export async function registrationKeys(
  deps: Pick<CandidateDeps, 'vault' | 'index'>,
  recorded: RecordedEvent,
): Promise<IndexKey[]> {
  const stored = (recorded.data as unknown as AppealRegistered['data']).applicants as StoredApplicant[];
  const opened = new Map(
    (await deps.vault.open(stored.filter((a) => a.sealed))).map((a) => [a.applicantId, a]),
  );
  const out: IndexKey[] = [];
  for (const a of stored) {
    // Applicants stored before sealing carry their fields in the clear.
    const fields = a.sealed ? opened.get(a.applicantId) : a;
    if (!fields || ('erased' in fields && fields.erased)) continue;
    out.push(...deps.index.entries(fields));
  }
  return out;
}

/** An appeal's facts in the journal's terms, from its folded state (one the journal has not got yet). */
export function factsOfState(
  state: RegisteredAppealState,
  toLocal: (value: string) => string,
): CandidateFacts {
  const c = state.context;
  const forwardedWhole = c.closedReason === 'forwarded';
  const resolvedOn = c.finalAnswer
    ? toLocal(c.finalAnswer.sentAt)
    : forwardedWhole && c.closedAt
      ? toLocal(c.closedAt)
      : null;
  return {
    number: c.number,
    state: state.status,
    received_on: toLocal(c.receivedAt),
    registered_on: toLocal(c.registeredAt),
    due_date: c.dueDate,
    resolved_on: resolvedOn,
    off_control_on: !c.onControl && c.closedAt ? toLocal(c.closedAt) : null,
    resolution_kind: c.finalAnswer ? 'final' : forwardedWhole ? 'forwarded' : null,
    question_codes: c.questions.map((q) => q.code),
    department: c.department,
    executor_id: c.executor?.id ?? null,
  };
}
