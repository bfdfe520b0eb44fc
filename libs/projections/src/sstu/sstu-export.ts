/**
 * The ССТУ.РФ monthly export (docs/sstu.md): one record per appeal in the portal's import format, or
 * a problem for a clerk when a record cannot be made right. Pure: the caller reads the rows
 * (`findSstuMonth`), opens the first applicant's personal data and passes the configuration.
 */
import { monthRange } from '../shared/business-date';
import type { IsoDate, QuestionResult } from '../shared/event-store';
import { InvalidReportQueryError } from '../shared/errors';
import {
  joinedTo,
  sstuStateAt,
  type SstuAppealRow,
  type SstuAppealState,
  type SstuQuestionState,
} from './sstu.evolve';

/** The portal's question statuses (its words, kept exactly). */
export const SSTU_STATUSES = [
  'InWork',
  'Explained',
  'Supported',
  'NotSupported',
  'Transferred',
  'Answered',
  'LeftWithoutAnswer',
] as const;
export type SstuStatus = (typeof SSTU_STATUSES)[number];

/**
 * The ССТУ status of a question's result. Exhaustive over the engine's result vocabulary
 * (`QUESTION_RESULTS` of libs/appeal): a result added there does not compile until it is mapped here.
 */
export function sstuStatusOf(result: QuestionResult): SstuStatus {
  switch (result) {
    case 'in_work':
      return 'InWork';
    case 'explained':
      return 'Explained';
    case 'supported':
      return 'Supported';
    case 'not_supported':
      return 'NotSupported';
    case 'forwarded':
      return 'Transferred';
    case 'answered':
      return 'Answered';
    case 'left_without_answer':
      return 'LeftWithoutAnswer';
    default: {
      const unmapped: never = result;
      throw new Error(`no ССТУ status for the result ${String(unmapped)}`);
    }
  }
}

/** Statuses whose entry carries `responseDate` (considered on the merits, answered, left without answer). */
const WITH_RESPONSE_DATE: ReadonlySet<SstuStatus> = new Set([
  'Explained',
  'Supported',
  'NotSupported',
  'Answered',
  'LeftWithoutAnswer',
]);

export interface SstuTransfer {
  departmentId: string;
  transferDate: IsoDate;
  transferNumber: string;
}

export interface SstuQuestion {
  code: string;
  status: SstuStatus;
  incomingDate: IsoDate;
  registrationDate: IsoDate;
  responseDate?: IsoDate;
  actionsTaken?: boolean;
  isExtend?: boolean;
  transfer?: SstuTransfer;
}

export interface SstuRecord {
  departmentId: string;
  isDirect: boolean;
  format: 'Electronic' | 'Other';
  number: string;
  createDate?: IsoDate;
  registrationNumber: string;
  incomingDate: IsoDate;
  registrationDate: IsoDate;
  name: string;
  address?: string;
  email?: string;
  questions: SstuQuestion[];
}

export interface SstuProblem {
  registrationNumber: string;
  problem: string;
}

export interface SstuExport {
  departmentId: string;
  month: string;
  generatedAt: string;
  appeals: SstuRecord[];
  problems: SstuProblem[];
}

/** The first applicant as opened for the export: only what the portal asks for. */
export interface SstuApplicant {
  name?: string;
  address?: string;
  email?: string;
  erased?: boolean;
}

export interface SstuExportConfig {
  /** the reporting body's ССТУ identifier */
  departmentId: string;
  /** the ССТУ identifier of a body appeals are forwarded to, by its name as the engine recorded it */
  departmentIdOf(bodyName: string): string | undefined;
}

/** `YYYY-MM` → the month's first and last day; InvalidReportQueryError (field `month`) otherwise. */
export function sstuMonth(month: string | undefined): { month: string; from: IsoDate; to: IsoDate } {
  if (month === undefined || month === '')
    throw new InvalidReportQueryError('is required (YYYY-MM)', 'month');
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  const year = Number(m?.[1]);
  const number = Number(m?.[2]);
  if (!m || number < 1 || number > 12 || year < 1900)
    throw new InvalidReportQueryError('must be a month YYYY-MM (e.g. 2018-12)', 'month');
  const range = monthRange(year, number);
  return { month, from: range.from, to: range.to };
}

const present = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

/** The ССТУ rows of other appeals by id: the originals duplicates are joined to. */
export type SstuRowLookup = (appealId: string) => SstuAppealRow | undefined;

const noRows: SstuRowLookup = () => undefined;

/** How deep a chain of duplicates (a duplicate of a duplicate…) is followed. */
const MAX_CHAIN = 8;

/**
 * What the export reports for an appeal at the end of `date`: its own questions' statuses, or — while
 * it is a duplicate joined to its original (decision 0008) — the original's, question by question
 * (same classifier code), since the portal counts the copy where it came from and it is answered
 * once, with the original (docs/sstu.md). An original that is itself a joined duplicate passes on its
 * own original's. A question the original does not have, or an original not in the read model, is a
 * problem for a clerk.
 */
export function sstuReportedStateAt(
  row: SstuAppealRow,
  date: IsoDate,
  originalOf: SstuRowLookup,
  problems: string[],
  depth = 0,
): SstuAppealState {
  const own = sstuStateAt(row, date);
  const originalId = joinedTo(row, date);
  if (originalId === undefined || depth >= MAX_CHAIN) return own;
  const original = originalOf(originalId);
  if (!original) {
    problems.push(
      `дубликат присоединён к обращению ${originalId}, которого нет в данных ССТУ — внесите результат вручную`,
    );
    return own;
  }
  const theirs = sstuReportedStateAt(original, date, originalOf, problems, depth + 1);
  const byCode = new Map(theirs.questions.map((q) => [q.code, q]));
  const questions = own.questions.map((q) => {
    const counterpart = byCode.get(q.code);
    if (counterpart) return { ...counterpart };
    problems.push(
      `вопрос ${q.code}: дубликат обращения № ${original.number}, в котором нет такого вопроса — укажите результат вручную`,
    );
    return q;
  });
  return {
    questions,
    extended: theirs.extended,
    withdrawn: own.withdrawn || theirs.withdrawn,
  };
}

/** The local dates on which what the export reports for `row` changed (its own, and its originals' while joined). */
function reportedChangeDates(row: SstuAppealRow, originalOf: SstuRowLookup, depth: number): IsoDate[] {
  const own = row.changes.map((c) => c.on);
  if (depth >= MAX_CHAIN || row.originals.length === 0) return own;
  const inherited = row.originals.flatMap((id) => {
    const original = originalOf(id);
    return original
      ? reportedChangeDates(original, originalOf, depth + 1).filter((on) => joinedTo(row, on) === id)
      : [];
  });
  return [...own, ...inherited];
}

/**
 * Whether the month `from`…`to` holds the appeal: registered or changed in it — including, for a
 * joined duplicate, a change of its original's results while it was joined.
 */
export function inSstuMonth(
  row: SstuAppealRow,
  month: { from: IsoDate; to: IsoDate },
  originalOf: SstuRowLookup = noRows,
): boolean {
  if (row.months.includes(month.from)) return true;
  return reportedChangeDates(row, originalOf, 0).some((on) => on >= month.from && on <= month.to);
}

/**
 * One appeal's record as it stood at the end of the month (`monthEnd`), or the reasons it cannot be
 * sent (each becomes a problem for a clerk; nothing is made up). `originalOf` gives the rows of the
 * originals duplicates are joined to.
 */
export function sstuRecordOf(
  row: SstuAppealRow,
  applicant: SstuApplicant | undefined,
  monthEnd: IsoDate,
  config: SstuExportConfig,
  originalOf: SstuRowLookup = noRows,
): { record: SstuRecord } | { problems: string[] } {
  const problems: string[] = [];
  const state = sstuReportedStateAt(row, monthEnd, originalOf, problems);
  const isDirect = row.source.type === 'direct';

  let name: string | undefined;
  if (applicant?.erased) problems.push('персональные данные заявителя удалены');
  else {
    name = present(applicant?.name);
    if (name === undefined) problems.push('заявитель не указал фамилию и имя (анонимное обращение)');
  }
  const reference = present(row.source.reference);
  if (!isDirect && reference === undefined)
    problems.push('не записан номер сопроводительного письма органа, направившего обращение');
  if (!isDirect && row.source.date === undefined)
    problems.push('не записана дата сопроводительного письма органа, направившего обращение');
  if (state.withdrawn)
    problems.push('обращение отозвано заявителем: в ССТУ для этого нет статуса, внесите его вручную');

  const questions: SstuQuestion[] = [];
  for (const q of state.questions) {
    const entry = questionOf(q, row, state.extended, config, problems);
    if (entry) questions.push(entry);
  }
  if (questions.length === 0 && problems.length === 0) problems.push('в обращении нет вопросов');
  // the same reason for several questions (one forwarding of the whole appeal) is said once
  if (problems.length > 0 || name === undefined) return { problems: [...new Set(problems)] };

  const address = present(applicant?.address);
  const email = present(applicant?.email);
  return {
    record: {
      departmentId: config.departmentId,
      isDirect,
      format: row.form === 'electronic' ? 'Electronic' : 'Other',
      number: isDirect ? row.number : (reference ?? row.number),
      ...(!isDirect && row.source.date !== undefined && { createDate: row.source.date }),
      registrationNumber: row.number,
      incomingDate: row.received_on,
      registrationDate: row.registered_on,
      name,
      ...(address !== undefined && { address }),
      ...(email !== undefined && { email }),
      questions,
    },
  };
}

function questionOf(
  q: SstuQuestionState,
  row: SstuAppealRow,
  extended: boolean,
  config: SstuExportConfig,
  problems: string[],
): SstuQuestion | undefined {
  const status = sstuStatusOf(q.result);
  const entry: SstuQuestion = {
    code: q.code,
    status,
    incomingDate: row.received_on,
    registrationDate: row.registered_on,
  };
  if (WITH_RESPONSE_DATE.has(status) && q.resultOn !== null) entry.responseDate = q.resultOn;
  if (status === 'Supported') entry.actionsTaken = q.measuresTaken;
  if (status === 'InWork') entry.isExtend = extended;
  if (status === 'Transferred') {
    if (q.transfer === null) {
      problems.push(
        `вопрос ${q.code}: направлен по компетенции в окончательном ответе без указания органа — укажите орган и письмо вручную`,
      );
      return undefined;
    }
    const departmentId = config.departmentIdOf(q.transfer.to);
    const transferNumber = present(q.transfer.reference);
    if (departmentId === undefined)
      problems.push(
        `нет идентификатора ССТУ органа «${q.transfer.to}», куда направлено обращение (справочник SSTU_DEPARTMENTS_FILE)`,
      );
    if (transferNumber === undefined)
      problems.push(
        `не записан исходящий номер сопроводительного письма, с которым обращение направлено в «${q.transfer.to}»`,
      );
    if (departmentId === undefined || transferNumber === undefined) return undefined;
    entry.transfer = { departmentId, transferDate: q.transfer.on, transferNumber };
  }
  return entry;
}

/**
 * The whole file: records and problems of the rows (the appeals with a registration or a change in the
 * month), in registration order. `applicants` holds the opened first applicant per appeal id;
 * `originalOf` the rows of the originals joined duplicates are reported with.
 */
export function buildSstuExport(
  month: { month: string; to: IsoDate },
  rows: readonly SstuAppealRow[],
  applicants: ReadonlyMap<string, SstuApplicant>,
  config: SstuExportConfig,
  generatedAt: string,
  originalOf: SstuRowLookup = noRows,
): SstuExport {
  const appeals: SstuRecord[] = [];
  const problems: SstuProblem[] = [];
  const ordered = rows
    .filter((r) => r.registered_on <= month.to)
    .sort(
      (a, b) =>
        a.registered_on.localeCompare(b.registered_on) ||
        a.number.localeCompare(b.number, 'ru', { numeric: true }) ||
        a.appeal_id.localeCompare(b.appeal_id),
    );
  for (const row of ordered) {
    const result = sstuRecordOf(row, applicants.get(row.appeal_id), month.to, config, originalOf);
    if ('record' in result) appeals.push(result.record);
    else for (const problem of result.problems) problems.push({ registrationNumber: row.number, problem });
  }
  return { departmentId: config.departmentId, month: month.month, generatedAt, appeals, problems };
}
