/**
 * Termination of correspondence (59-FZ art. 11 ч.5): "если в письменном обращении гражданина содержится
 * вопрос, на который ему неоднократно давались письменные ответы по существу в связи с ранее
 * направляемыми обращениями, и при этом в обращении не приводятся новые доводы или обстоятельства,
 * руководитель … вправе принять решение о безосновательности очередного обращения и прекращении
 * переписки с гражданином по данному вопросу при условии, что указанное обращение и ранее
 * направляемые обращения направлялись в один и тот же … орган или одному и тому же должностному
 * лицу. О данном решении уведомляется гражданин, направивший обращение."
 *
 * Pure rules the decider applies; the facts about other appeals come in the commands (the domain
 * sees one appeal).
 */
import type { EarlierAppealFacts, TerminationFact } from './appeal.commands';
import type { AppealContext } from './appeal.machine';
import type { FinalQuestionResult } from './events/appeal.events';

/** "Неоднократно": at least two earlier written answers on the merits on the question. */
export const CORRESPONDENCE_TERMINATION_MIN_ANSWERS = 2;

/** The results of a final answer that answer the question on the merits (not forwarded, not left without answer). */
export const ON_THE_MERITS_RESULTS: readonly FinalQuestionResult[] = [
  'supported',
  'explained',
  'not_supported',
  'answered',
];

/** The codes the final answer in force of an appeal answered on the merits (none while it has no final answer). */
export function answeredOnMerits(context: AppealContext): string[] {
  if (context.finalAnswer === null) return [];
  return context.questions
    .filter((q) => (ON_THE_MERITS_RESULTS as readonly string[]).includes(q.result))
    .map((q) => q.code);
}

/** One reason a termination is refused (409), as data: the web words it, `describe` in English. */
export type TerminationProblem =
  | { kind: 'not_found'; appealId: string }
  | { kind: 'other_applicant'; appealId: string }
  | { kind: 'not_earlier'; appealId: string }
  | { kind: 'not_answered_on_merits'; appealId: string; questionCodes: string[] }
  | { kind: 'too_few_answers'; questionCode: string; answered: number; needed: number }
  | { kind: 'already_terminated'; decidedAt: string; questionCodes: string[] }
  | { kind: 'no_termination' }
  | { kind: 'questions_not_terminated'; questionCodes: string[] };

export function describeProblem(p: TerminationProblem): string {
  switch (p.kind) {
    case 'not_found':
      return `appeal ${p.appealId} not found`;
    case 'other_applicant':
      return `appeal ${p.appealId} is not of the same applicant (no applicant-index key in common)`;
    case 'not_earlier':
      return `appeal ${p.appealId} was not registered before this one`;
    case 'not_answered_on_merits':
      return `appeal ${p.appealId} has no final answer on the merits on ${p.questionCodes.join(', ')}`;
    case 'too_few_answers':
      return `question ${p.questionCode}: ${p.answered} earlier appeal(s) answered on the merits, at least ${p.needed} needed`;
    case 'already_terminated':
      return `decided ${p.decidedAt} on ${p.questionCodes.join(', ')}`;
    case 'no_termination':
      return 'the applicant has no termination on any of its questions';
    case 'questions_not_terminated':
      return `questions ${p.questionCodes.join(', ')} are not terminated: they are answered on the merits`;
  }
}

/**
 * What fails in the earlier appeals named for terminating correspondence on `codes`: each must be
 * found, of the same applicant, registered before, and answered on the merits on one of the codes;
 * each code needs at least two of them. Empty: they support the decision.
 */
export function earlierAppealProblems(
  codes: readonly string[],
  ids: readonly string[],
  facts: readonly EarlierAppealFacts[],
): TerminationProblem[] {
  const problems: TerminationProblem[] = [];
  const valid: EarlierAppealFacts[] = [];
  for (const id of ids) {
    const f = facts.find((x) => x.appealId === id);
    if (!f || !f.found) {
      problems.push({ kind: 'not_found', appealId: id });
      continue;
    }
    const before = problems.length;
    if (!f.sameApplicant) problems.push({ kind: 'other_applicant', appealId: id });
    if (!f.earlier) problems.push({ kind: 'not_earlier', appealId: id });
    if (!f.answeredOnMerits.some((c) => codes.includes(c)))
      problems.push({ kind: 'not_answered_on_merits', appealId: id, questionCodes: [...codes] });
    if (problems.length === before) valid.push(f);
  }
  for (const code of codes) {
    const n = valid.filter((f) => f.answeredOnMerits.includes(code)).length;
    if (n < CORRESPONDENCE_TERMINATION_MIN_ANSWERS)
      problems.push({
        kind: 'too_few_answers',
        questionCode: code,
        answered: n,
        needed: CORRESPONDENCE_TERMINATION_MIN_ANSWERS,
      });
  }
  return problems;
}

/**
 * Whether leaving this appeal without answer on ground `correspondence_terminated` depends on the
 * terminations recorded on other appeals: not when its own decision covers every question still in
 * work (applicableTermination then names it, whatever else is found).
 */
export function needsOtherTerminations(context: AppealContext): boolean {
  const own = context.correspondenceTermination?.questionCodes;
  if (!own) return true;
  return context.questions.some((q) => q.forwarded !== true && !own.includes(q.code));
}

/**
 * The termination that lets this appeal be left without answer on ground `correspondence_terminated`:
 * the decision recorded on the appeal itself (it was found unfounded), or one recorded on another
 * appeal of the same applicant (`found`, from the applicant index) — either covering every question
 * still in work (a question not terminated still deserves its answer).
 */
export function applicableTermination(
  context: AppealContext,
  found: readonly TerminationFact[],
): { ok: true; terminationAppealId: string } | { ok: false; problems: TerminationProblem[] } {
  const open = context.questions.filter((q) => q.forwarded !== true).map((q) => q.code);
  const candidates: { id: string; codes: readonly string[] }[] = [
    ...(context.correspondenceTermination
      ? [{ id: context.appealId, codes: context.correspondenceTermination.questionCodes }]
      : []),
    ...found
      .filter((t) => t.terminationAppealId !== context.appealId)
      .map((t) => ({ id: t.terminationAppealId, codes: t.questionCodes })),
  ];
  if (candidates.length === 0) return { ok: false, problems: [{ kind: 'no_termination' }] };
  const covered = new Set(candidates.flatMap((t) => t.codes));
  const missing = open.filter((code) => !covered.has(code));
  if (missing.length > 0)
    return { ok: false, problems: [{ kind: 'questions_not_terminated', questionCodes: missing }] };
  const first = candidates.find((t) => t.codes.some((code) => open.includes(code))) ?? candidates[0];
  return { ok: true, terminationAppealId: first.id };
}
