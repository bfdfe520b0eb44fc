/**
 * Which of the card's actions a person sees: the appeal's state must allow it (the decider's
 * allowedActions) and the person's roles must (ACTION_WORDS's card roles, the API's route roles; by
 * the executor's role only on the appeal assigned to them, as the access policy reaches). Pure, so
 * the rule is tested without a browser.
 */
import type { AppealAction } from '@appeal-ledger/appeal';
import { ACTION_WORDS, type CardFormAction } from '../shared/appeal-words';

export type CardAction = CardFormAction | 'erase_personal_data';

export interface CardViewer {
  id: string;
  roles: readonly string[];
}

/** The card's form actions in the order of their buttons (ACTION_WORDS's order). */
const ORDER = (Object.keys(ACTION_WORDS) as AppealAction[]).filter(
  (action): action is CardFormAction => ACTION_WORDS[action].card !== null,
);

const rolesFor = (action: CardFormAction): readonly string[] => ACTION_WORDS[action].card.roles;

/**
 * What of the appeal, besides its state, decides a form: a reply needs a request awaiting it, a
 * co-executor's part a co-executor.
 */
export interface CardActionContext {
  pendingDocumentRequests: number;
  /** the co-executors of the resolution in force: only they (and the admin) send a part */
  coExecutorIds?: readonly string[];
}

export function cardActions(
  allowed: readonly AppealAction[],
  viewer: CardViewer,
  executorId: string | null,
  context: CardActionContext = { pendingDocumentRequests: 0 },
): CardAction[] {
  const actions: CardAction[] = ORDER.filter((action) => {
    const held = viewer.roles.filter((r) => rolesFor(action).includes(r));
    if (!allowed.includes(action) || held.length === 0) return false;
    if (action === 'record_documents_reply' && context.pendingDocumentRequests === 0) return false;
    if (action === 'contribute')
      return viewer.roles.includes('admin') || (context.coExecutorIds ?? []).includes(viewer.id);
    // the executor's role reaches only the appeal assigned to them now (the access policy): the
    // answers, and whatever else an executor may do, are not offered to another executor (a co-executor)
    return held.some((r) => r !== 'executor') || executorId === viewer.id;
  });
  if (viewer.roles.includes('admin')) actions.push('erase_personal_data');
  return actions;
}
