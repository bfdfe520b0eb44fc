/**
 * Which of the card's actions a person sees: the appeal's state must allow it (the decider's
 * allowedActions) and the person's roles must (the API's @Roles, and "the assigned executor" for
 * answers). Pure, so the rule is tested without a browser.
 */
import type { AppealAction } from '@appeal-ledger/appeal';

/** Actions with no form on the card: the system's own, and those offered over the API only so far. */
type NotOnCard =
  | 'register'
  | 'issue_reminder'
  | 'request_documents'
  | 'record_documents_reply'
  // issue 14: over the API only so far (the card's forms are still to come)
  | 'report_to_source'
  | 'set_further_control'
  | 'complete_measures';

export type CardAction = Exclude<AppealAction, NotOnCard> | 'erase_personal_data';

export interface CardViewer {
  id: string;
  roles: readonly string[];
}

const ROLES_FOR: Record<Exclude<CardAction, 'erase_personal_data'>, readonly string[]> = {
  assign: ['controller', 'admin'],
  extend_deadline: ['controller', 'admin'],
  send_interim_answer: ['executor', 'admin'],
  send_final_answer: ['executor', 'admin'],
  return_for_rework: ['controller', 'admin'],
  remove_from_control: ['controller', 'admin'],
  forward: ['registrar', 'controller', 'admin'],
  withdraw: ['registrar', 'admin'],
};

const ORDER: readonly Exclude<CardAction, 'erase_personal_data'>[] = [
  'assign',
  'extend_deadline',
  'send_interim_answer',
  'send_final_answer',
  'return_for_rework',
  'remove_from_control',
  'forward',
  'withdraw',
];

export function cardActions(
  allowed: readonly AppealAction[],
  viewer: CardViewer,
  executorId: string | null,
): CardAction[] {
  const has = (roles: readonly string[]): boolean => viewer.roles.some((r) => roles.includes(r));
  const actions: CardAction[] = ORDER.filter((action) => {
    if (!allowed.includes(action) || !has(ROLES_FOR[action])) return false;
    if (action === 'send_interim_answer' || action === 'send_final_answer') {
      return viewer.roles.includes('admin') || executorId === viewer.id;
    }
    return true;
  });
  if (viewer.roles.includes('admin')) actions.push('erase_personal_data');
  return actions;
}

/** Russian words for the actions a 409 says are allowed now */
export const ALLOWED_ACTION_WORDS: Record<string, string> = {
  register: 'зарегистрировать',
  assign: 'назначить исполнителя',
  extend_deadline: 'продлить срок',
  send_interim_answer: 'дать промежуточный ответ',
  send_final_answer: 'дать окончательный ответ',
  return_for_rework: 'вернуть на доработку',
  remove_from_control: 'снять с контроля',
  forward: 'направить по компетенции',
  withdraw: 'отозвать',
  issue_reminder: 'напомнить о сроке',
  report_to_source: 'сообщить результат направившему органу',
  set_further_control: 'поставить на дополнительный контроль',
  complete_measures: 'отметить принятие мер',
};
