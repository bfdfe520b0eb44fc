/**
 * The card's line for a confirmed duplicate (decision 0008): joined to its original and off control
 * while the original is considered, then answered with it — the original's number, how it ended, the
 * answer's date and outgoing number.
 */
import type { AnsweredWithOriginalFacts } from '@appeal-ledger/appeal';
import { html, type Html } from '../../shell/html';
import { ORIGINAL_OUTCOME_LABELS, ruDate } from '../shared/labels';
import { ruDay } from '../shared/instant';

export interface DuplicateFacts {
  duplicateOf?: string;
  joinedTo?: string;
  /** without the original's id and number when the person may not read the original (docs/access.md) */
  answeredWithOriginal?:
    | (Omit<AnsweredWithOriginalFacts, 'originalAppealId' | 'originalNumber'> &
        Partial<Pick<AnsweredWithOriginalFacts, 'originalAppealId' | 'originalNumber'>>)
    | null;
}

/** [label, value] rows for the card's «Сведения» (none for an appeal that is no confirmed duplicate). */
export function duplicateRows(
  appeal: DuplicateFacts,
  related: readonly { appealId: string; number: string }[] | undefined,
  timeZone: string,
): [string, Html][] {
  const answered = appeal.answeredWithOriginal;
  if (answered) {
    const answer = answered.answer;
    return [
      [
        'Дубликат',
        html`ответ дан вместе с ${
          answered.originalAppealId !== undefined
            ? html`обращением <a href="/appeals/${answered.originalAppealId}">№ ${answered.originalNumber ?? ''}</a>`
            : 'первоначальным обращением'
        }:
          ${ORIGINAL_OUTCOME_LABELS[answered.outcome]}${
            answer
              ? `; ответ от ${ruDay(answer.sentAt, timeZone)}${answer.outgoingNumber ? `, исх. № ${answer.outgoingNumber}` : ''}${answer.outgoingDate ? ` от ${ruDate(answer.outgoingDate)}` : ''}`
              : `, ${ruDay(answered.closedAt, timeZone)}`
          }`,
      ],
    ];
  }
  if (appeal.duplicateOf === undefined) return [];
  const number = related?.find((r) => r.appealId === appeal.duplicateOf)?.number;
  const link = html`<a href="/appeals/${appeal.duplicateOf}">${number ? `№ ${number}` : 'первоначальное обращение'}</a>`;
  return [
    [
      'Дубликат',
      appeal.joinedTo !== undefined
        ? html`присоединено к обращению ${link}: снято с контроля, ответ будет дан вместе с ним`
        : html`дубликат обращения ${link}`,
    ],
  ];
}
