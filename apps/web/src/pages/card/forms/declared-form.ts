/**
 * The card forms declared with their words (../../shared/appeal-words.ts, `card.form`): fields named
 * by the API's body paths, posted like every card form. A new action whose form needs nothing of the
 * appeal is declared there and needs no code here.
 */
import { html, type Html } from '../../../shell/html';
import type { CardFormField, CardFormSpec } from '../../shared/appeal-words';
import { errorSlot, fieldId, textArea, textField } from '../../shared/widgets';

function numberInput(field: CardFormField): Html {
  const id = fieldId(field.name);
  return html`<div class="field">
    <label for="${id}">${field.label}</label>
    <input
      id="${id}"
      name="${field.name}"
      type="number"
      inputmode="numeric"
      ${field.min !== undefined ? html` min="${field.min}"` : ''}${field.max !== undefined ? html` max="${field.max}"` : ''}
      data-type="number"
      ${field.required ? html` required` : ''}
      aria-describedby="${id}-error"
    />
    ${field.hint ? html`<span class="hint">${field.hint}</span>` : ''}${errorSlot(field.name)}
  </div>`;
}

function input(field: CardFormField, today: string): Html {
  switch (field.kind) {
    case 'textarea':
      return textArea(field.label, field.name, { required: field.required });
    case 'number':
      return numberInput(field);
    case 'date':
      return textField(field.label, field.name, {
        type: 'date',
        required: field.required,
        hint: field.hint,
        ...(field.today && { value: today }),
      });
    case 'text':
      return textField(field.label, field.name, { required: field.required, hint: field.hint });
  }
}

/** The fields of a declared form (the card wraps them in its API form). */
export function declaredFields(spec: CardFormSpec, today: string): Html {
  return html`${spec.fields.map((field) => input(field, today))}
  ${spec.note ? html`<p class="hint">${spec.note}</p>` : ''}`;
}
