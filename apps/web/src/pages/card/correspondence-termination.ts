/**
 * The card's part of terminating correspondence (59-FZ art. 11 ч.5): the form of the head's decision
 * (POST /appeals/{id}/correspondence-termination) and the notes the card shows — the decision recorded
 * on this appeal, or the arrival flag of a later appeal of the same applicant on a terminated question.
 */
import type { CorrespondenceTerminationState } from '@appeal-ledger/appeal';
import type { RelatedAppeal } from '../../../../api/src/applicant-matching/related-appeals';
import { html, type Html } from '../../shell/html';
import { ruDate } from '../shared/labels';
import { ruDay } from '../shared/instant';
import { selectField, textArea, textField } from '../shared/widgets';

/** The arrival flag (GET /appeals/{id} `correspondenceTerminated`). */
export interface TerminationFlag {
  /** absent when the person may not read that appeal (docs/access.md) */
  terminationAppealId?: string;
  decidedAt: string;
  questionCodes: string[];
}

/** How many earlier appeals the form offers to name (the law's «неоднократно» needs two). */
const EARLIER_SLOTS = 3;

/** The form's fields: the earlier appeals are chosen from the related ones answered, or typed in. */
export function terminationFields(related: readonly RelatedAppeal[] | undefined, today: string): Html {
  const answered = (related ?? []).filter((r) => r.resolvedOn !== null);
  const slots = Array.from({ length: EARLIER_SLOTS }, (_, i) => {
    const label = `Прежнее обращение ${i + 1}${i < 2 ? '' : ' (необязательно)'}`;
    const name = `earlierAppealIds.${i}`;
    return answered.length > 0
      ? selectField(
          label,
          name,
          answered.map((r) => ({
            value: r.appealId,
            text: `№ ${r.number} от ${ruDate(r.registeredOn)}, ответ ${ruDate(r.resolvedOn ?? r.registeredOn)}`,
          })),
          {
            required: i < 2,
            empty: '— не выбрано —',
            value: i < answered.length && i < 2 ? answered[i].appealId : '',
          },
        )
      : textField(`${label}: идентификатор`, name, { required: i < 2, wide: true });
  });
  return html`<p>
      Решение руководителя о безосновательности обращения и прекращении переписки по вопросу: заявителю
      неоднократно давались письменные ответы по существу, новых доводов нет (ч. 5 ст. 11 59-ФЗ). Переписка
      прекращается по всем вопросам обращения.
    </p>
    ${textField('Решение принял (ФИО)', 'decidedBy.name', { required: true })}
    ${textField('Должность', 'decidedBy.position', { required: true, value: 'глава района' })}
    ${textField('Дата решения', 'decidedAt', { type: 'date', value: today })} ${slots}
    ${textArea('Основания решения', 'grounds', { required: true })}
    ${textField('Заявитель уведомлён', 'notice.sentAt', { type: 'date' })}
    ${textArea('Текст уведомления', 'notice.text')}`;
}

/** The card's note: this appeal's own decision, or the flag of a later appeal. */
export function terminationNote(
  own: CorrespondenceTerminationState | null | undefined,
  flag: TerminationFlag | null | undefined,
  timeZone: string,
): Html | string {
  if (own)
    return html`<p class="notice" data-correspondence-termination>
      Переписка с заявителем по вопросам ${own.questionCodes.join(', ')} прекращена решением от
      ${ruDay(own.decidedAt, timeZone)} (${own.decidedBy.position} ${own.decidedBy.name}; ч. 5 ст. 11 59-ФЗ).
      ${own.noticeSentAt ? `Заявитель уведомлён ${ruDay(own.noticeSentAt, timeZone)}.` : 'Уведомление заявителя не записано.'}
    </p>`;
  if (flag)
    return html`<p class="notice" role="status" data-correspondence-terminated>
      Переписка с заявителем по вопросу ${flag.questionCodes.join(', ')} прекращена решением от
      ${ruDay(flag.decidedAt, timeZone)} (${
        flag.terminationAppealId !== undefined
          ? html`<a href="/appeals/${flag.terminationAppealId}">обращение</a>; `
          : ''
      }ч. 5 ст. 11 59-ФЗ): обращение можно оставить без ответа по этому основанию.
    </p>`;
  return '';
}
