/**
 * «Связанные обращения»: the registrar's decision on each earlier appeal the engine proposes as a
 * repeat or a duplicate — «Подтвердить» (POST /appeals/{id}/related/confirm) and «Отклонить»
 * (…/related/reject), small API forms in the row, posted by the page's script with If-Match like the
 * card's other forms. Confirmed: only «Отклонить» (undo); rejected: only «Подтвердить».
 */
import type { RelatedAppeal } from '../../../../../api/src/applicant-matching/related-appeals';
import { html, type Html } from '../../../shell/html';
import { formAlert } from '../../shared/widgets';

/** The API's roles of related/confirm and related/reject (apps/api/src/appeals/command-routes.ts). */
export const RELATED_DECISION_ROLES: readonly string[] = ['registrar', 'controller', 'admin'];

export interface RelatedDecisions {
  appealId: string;
  revision: number;
}

/** Whether the person may decide from the card: their roles, and the state allows both decisions. */
export function mayDecideRelated(roles: readonly string[], allowed: readonly string[]): boolean {
  return (
    roles.some((r) => RELATED_DECISION_ROLES.includes(r)) &&
    allowed.includes('confirm_related') &&
    allowed.includes('reject_related')
  );
}

const KIND_WORDS = { repeat: 'повторное', duplicate: 'дубликат' } as const;

function decisionForm(
  verb: 'confirm' | 'reject',
  related: RelatedAppeal,
  kind: RelatedAppeal['proposed'],
  decisions: RelatedDecisions,
): Html {
  const label = verb === 'confirm' ? 'Подтвердить' : 'Отклонить';
  return html`<form
    class="api-form related-decision"
    data-api-form
    data-method="POST"
    data-action="/appeals/${decisions.appealId}/related/${verb}"
    data-if-match="${decisions.revision}"
    data-on-success="reload"
    novalidate
  >
    ${formAlert()}
    <input type="hidden" name="relatedAppealId" value="${related.appealId}" />
    <input type="hidden" name="kind" value="${kind}" />
    <button type="submit" aria-label="${label}: ${KIND_WORDS[kind]} к № ${related.number}">${label}</button>
  </form>`;
}

export function relatedDecisionCell(related: RelatedAppeal, decisions: RelatedDecisions): Html {
  const kind = related.decision?.kind ?? related.proposed;
  const status = related.decision?.status ?? null;
  return html`<td class="related-actions">
    ${status !== 'confirmed' ? decisionForm('confirm', related, kind, decisions) : ''}
    ${status !== 'rejected' ? decisionForm('reject', related, kind, decisions) : ''}
  </td>`;
}
