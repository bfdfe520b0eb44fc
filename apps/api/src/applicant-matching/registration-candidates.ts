/**
 * The registration's candidates, without waiting for the read models (docs/applicant-matching.md):
 * the new appeal's blind-index keys are computed from the plaintext in the request — the same
 * normalisation and key as the index — and looked up at once:
 *
 * - in the index read model (`rm_applicant_index.entries`), for the appeals it has applied;
 * - in the registrations it has not applied yet: the `AppealRegistered` events after its checkpoint
 *   (usually none or a few), opened with their applicants' keys and hashed in memory, as the
 *   projection will.
 *
 * Each earlier appeal found (registered before the new one) comes with its state and dates from the
 * journal read model when its row has every event of the appeal's stream, or else — the journal lags
 * (an answer sent a moment ago) or does not have it yet — from its own stream, in the journal's terms. So an appeal registered a moment before, of the same applicant written another
 * way, is a candidate of the next registration, whatever the projections' lag.
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
import type { BlindIndex } from './blind-index';
import { INDEX_KINDS, type IndexKind } from './normalise';
import type { RelatedAppeal } from './related-appeals';
import { proposeRelation, sameQuestion, type RelationKind } from './repeat-rule';

/** Registrations read past the index's checkpoint at most (beyond: GET …/related, once it caught up). */
const MAX_TAIL = 2000;

/**
 * Earlier appeals the registration answer names at most: the newest on the same question (GET
 * …/related lists every one). Each is read from its stream to be current, so this bounds the work of
 * a registration whatever the applicant's history (an address shared by hundreds of appeals).
 */
export const MAX_CANDIDATES = 20;

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
  store: EventStore;
  vault: PersonalDataVault;
  index: BlindIndex;
  /** the index projection's committed checkpoint */
  indexCheckpoint(): Promise<number>;
  /** an appeal's facts from its stream, with the position of its last event */
  fromStream(appealId: string): Promise<{ facts: CandidateFacts; position: number } | undefined>;
  schemas?: { index: string; journal: string };
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
  const mine = new Map<string, IndexKind>(); // `${kind}:${digest}` → kind
  for (const a of appeal.applicants)
    for (const e of deps.index.entries(a)) mine.set(`${e.kind}:${e.digest}`, e.kind);
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
  const [checkpoint, indexed] = await Promise.all([
    deps.indexCheckpoint(),
    deps.db.query<{ appeal_id: string; kind: IndexKind; digest: string; position: string }>(
      `SELECT appeal_id, kind, digest, min(position)::text AS position
         FROM ${schemas.index}.entries
        WHERE digest = ANY($1::text[]) AND appeal_id <> $2
        GROUP BY appeal_id, kind, digest`,
      [digests, appeal.id],
    ),
  ]);
  for (const row of indexed.rows)
    if (mine.has(`${row.kind}:${row.digest}`)) note(row.appeal_id, row.kind, Number(row.position));
  // the question codes of the registrations read from the store (the journal may not have them yet)
  const codesOf = new Map<string, string[]>();
  for (const recorded of await registrationsAfter(deps.store, checkpoint, appeal.position)) {
    const appealId = recorded.streamId.slice(APPEAL_STREAM_PREFIX.length);
    if (appealId === appeal.id) continue;
    codesOf.set(
      appealId,
      (recorded.data as unknown as AppealRegistered['data']).questions.map((q) => q.code),
    );
    for (const e of await entriesOf(deps, recorded))
      if (mine.has(`${e.kind}:${e.digest}`)) note(appealId, e.kind, recorded.position);
  }
  if (found.size === 0) return [];

  const ids = [...found.keys()];
  const [journal, links] = await Promise.all([
    deps.db.query<CandidateFacts & { appeal_id: string; position: string }>(
      `SELECT appeal_id, number, state, received_on::text, registered_on::text, due_date::text,
              resolved_on::text, off_control_on::text, resolution_kind, question_codes, department, executor_id,
              position::text
         FROM ${schemas.journal}.appeals WHERE appeal_id = ANY($1::text[])`,
      [ids],
    ),
    deps.db.query<{
      related_id: string;
      kind: RelationKind;
      status: 'confirmed' | 'rejected';
      decided_at: string | null;
    }>(`SELECT related_id, kind, status, decided_at FROM ${schemas.index}.links WHERE appeal_id = $1`, [
      appeal.id,
    ]),
  ]);
  const rows = new Map(journal.rows.map((r) => [r.appeal_id, r]));
  // Question codes never change after registration: the journal's row or the registration read from
  // the store tells which appeals are on the same question; of those, the newest go on.
  const considered = ids
    .filter((id) => {
      const codes = rows.get(id)?.question_codes ?? codesOf.get(id);
      return !codes || sameQuestion(appeal.questionCodes, codes) !== null;
    })
    .sort((a, b) => (found.get(b)?.position ?? 0) - (found.get(a)?.position ?? 0))
    .slice(0, MAX_CANDIDATES);
  const facts = new Map<string, CandidateFacts>();
  await Promise.all(
    considered.map(async (id) => {
      const row = rows.get(id);
      const stream = await deps.fromStream(id);
      // the journal's row when it has applied the stream's last event (what GET …/related shows)
      if (row && (!stream || Number(row.position) >= stream.position)) facts.set(id, row);
      else if (stream) facts.set(id, stream.facts);
    }),
  );
  const decisions = new Map(links.rows.map((l) => [l.related_id, l]));

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

/** The registrations stored after `after` and before `before` (at most MAX_TAIL). */
async function registrationsAfter(
  store: EventStore,
  after: number,
  before: number,
): Promise<RecordedEvent[]> {
  if (after >= before - 1) return [];
  const events = await store.readAll({
    after,
    maxCount: MAX_TAIL,
    filter: { eventTypes: ['AppealRegistered'], streamPrefixes: [APPEAL_STREAM_PREFIX] },
  });
  return events.filter((e) => e.position < before);
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
