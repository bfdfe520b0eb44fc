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
import type { EventStore, RecordedEvent } from '@appeal-ledger/event-store';
import { JOURNAL_SCHEMA, type SqlExecutor } from '@appeal-ledger/projections';
import type { PersonalDataVault, SealedApplicant } from '../personal-data/personal-data.vault';
import { APPLICANT_INDEX_SCHEMA } from './applicant-index.projection';
import { LruCache } from '../shared/lru-cache';
import type { BlindIndex } from './blind-index';
import { INDEX_KINDS, type IndexKind } from './normalise';
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
  db: SqlExecutor;
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
  schemas?: { index: string; journal: string };
}

type IndexKey = { kind: IndexKind; digest: string };

/**
 * What a registration's lookups share: the new appeal's index keys (hashed once), the index's
 * committed checkpoint, and the registrations and terminations of correspondence the store holds
 * after it and before the new appeal (at most MAX_TAIL) — the ones the index has not applied.
 */
export interface RegistrationLookup {
  keys: readonly IndexKey[];
  indexCheckpoint: number;
  tail: readonly RecordedEvent[];
  /** false when the tail was cut at MAX_TAIL (events after it are not known) */
  complete: boolean;
}

/** The events of a registration's lookup the index has not applied yet. */
const UNAPPLIED_TYPES = ['AppealRegistered', 'CorrespondenceTerminated'];

/** Reads the tail a registration's lookups share (the checkpoint first, then the events after). */
export async function registrationLookup(
  store: EventStore,
  keys: readonly IndexKey[],
  indexCheckpoint: () => Promise<number>,
  before: number,
): Promise<RegistrationLookup> {
  const checkpoint = await indexCheckpoint();
  const filter = { eventTypes: UNAPPLIED_TYPES, streamPrefixes: [APPEAL_STREAM_PREFIX] };
  // from the store's memory of the newest events when it has them all (usually: the live read models
  // keep it current), else read
  const tail =
    checkpoint >= before - 1
      ? []
      : (store.readRecent?.(checkpoint, before, filter, MAX_TAIL) ??
        (await store.readAll({ after: checkpoint, maxCount: MAX_TAIL, filter })));
  return {
    keys,
    indexCheckpoint: checkpoint,
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
  const schemas = deps.schemas ?? { index: APPLICANT_INDEX_SCHEMA, journal: JOURNAL_SCHEMA };
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

  const digests = [...new Set([...mine.keys()].map((k) => k.slice(k.indexOf(':') + 1)))];
  const indexed = await deps.db.query<{
    appeal_id: string;
    kind: IndexKind;
    digest: string;
    position: string;
  }>(
    // per key, its newest entries, read backwards along the (digest, position) index (an appeal's
    // entries carry its registration's position); of those, the newest on one of the new appeal's
    // questions by the journal (or not in the journal yet) — an address shared by thousands of appeals
    // reads a few hundred index rows
    `SELECT e.appeal_id, e.kind, e.digest, e.position::text
       FROM unnest($1::text[]) AS d(digest)
       CROSS JOIN LATERAL (
         SELECT x.appeal_id, x.kind, x.digest, x.position FROM ${schemas.index}.entries x
          WHERE x.digest = d.digest AND x.appeal_id <> $2
          ORDER BY x.position DESC LIMIT $6) e
       -- a scalar subquery, looked up by the journal's key row by row whatever the statistics say
       -- (a join may be planned as a scan of the whole journal while its table is young)
      WHERE coalesce(
              (SELECT EXISTS (SELECT 1 FROM unnest(j.question_codes) AS q(code)
                               WHERE q.code = ANY($4::text[])
                                  OR array_to_string((string_to_array(q.code, '.'))[1:2], '.') = ANY($5::text[]))
                 FROM ${schemas.journal}.appeals j WHERE j.appeal_id = e.appeal_id),
              true)
      ORDER BY e.position DESC LIMIT $3`,
    [digests, appeal.id, MAX_MATCHES, appeal.questionCodes, appeal.questionCodes.map(themeOf), MAX_SCANNED],
  );
  for (const row of indexed.rows)
    if (mine.has(`${row.kind}:${row.digest}`)) note(row.appeal_id, row.kind, Number(row.position));
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
    if (!keys) deps.registered.set(appealId, (keys = await entriesOf(deps, recorded)));
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
  // their journal rows, with the registrar's decision on each relation if one was taken
  const journal = await deps.db.query<
    CandidateFacts & {
      appeal_id: string;
      number: string | null;
      position: string | null;
      link_kind: RelationKind | null;
      link_status: 'confirmed' | 'rejected' | null;
      link_decided_at: string | null;
    }
  >(
    `SELECT c.id AS appeal_id, j.number, j.state, j.received_on::text, j.registered_on::text, j.due_date::text,
            j.resolved_on::text, j.off_control_on::text, j.resolution_kind, j.question_codes, j.department,
            j.executor_id, j.position::text,
            l.kind AS link_kind, l.status AS link_status, l.decided_at AS link_decided_at
       FROM unnest($1::text[]) AS c(id)
       LEFT JOIN ${schemas.journal}.appeals j ON j.appeal_id = c.id
       LEFT JOIN ${schemas.index}.links l ON l.appeal_id = $2 AND l.related_id = c.id`,
    [considered, appeal.id],
  );
  const rows = new Map(journal.rows.filter((r) => r.number !== null).map((r) => [r.appeal_id, r]));
  const streams = await deps.fromStreams(considered);
  const facts = new Map<string, CandidateFacts>();
  for (const id of considered) {
    const row = rows.get(id);
    const stream = streams.get(id);
    // the journal's row when it has applied the stream's last event (what GET …/related shows)
    if (row && (!stream || Number(row.position) >= stream.position)) facts.set(id, row);
    else if (stream) facts.set(id, stream.facts);
  }
  const decisions = new Map(
    journal.rows.flatMap((r) =>
      r.link_kind && r.link_status
        ? [
            [
              r.appeal_id,
              { kind: r.link_kind, status: r.link_status, decided_at: r.link_decided_at },
            ] as const,
          ]
        : [],
    ),
  );

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
async function entriesOf(
  deps: CandidateDeps,
  recorded: RecordedEvent,
): Promise<{ kind: IndexKind; digest: string }[]> {
  const stored = (recorded.data as unknown as AppealRegistered['data']).applicants as StoredApplicant[];
  const opened = new Map(
    (await deps.vault.open(stored.filter((a) => a.sealed))).map((a) => [a.applicantId, a]),
  );
  const out: { kind: IndexKind; digest: string }[] = [];
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
