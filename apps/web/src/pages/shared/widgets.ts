/** Small pieces of markup the pages share: labelled fields, selects, state badges, query strings. */
import { html, type Html } from '../../shell/html';

export interface Option {
  value: string;
  text: string;
}

/** `name` is also the field the API names in `problem.errors[].field`: the error slot follows it. */
export const fieldId = (name: string): string => `f-${name.replace(/[^a-zA-Z0-9_-]/g, '-')}`;

export function errorSlot(name: string): Html {
  return html`<span
    class="field-error"
    id="${fieldId(name)}-error"
    data-error-for="${name}"
    aria-live="polite"
  ></span>`;
}

export function textField(
  label: string,
  name: string,
  options: {
    value?: string;
    type?: string;
    required?: boolean;
    hint?: string;
    list?: string;
    wide?: boolean;
  } = {},
): Html {
  const id = fieldId(name);
  return html`<div class="field${options.wide ? ' field-wide' : ''}">
    <label for="${id}">${label}</label>
    <input
      id="${id}"
      name="${name}"
      type="${options.type ?? 'text'}"
      value="${options.value ?? ''}"
      ${options.required ? html` required` : ''}${options.list ? html` list="${options.list}" autocomplete="off"` : ''}
      aria-describedby="${id}-error"
    />
    ${options.hint ? html`<span class="hint">${options.hint}</span>` : ''}${errorSlot(name)}
  </div>`;
}

export function textArea(
  label: string,
  name: string,
  options: { value?: string; required?: boolean } = {},
): Html {
  const id = fieldId(name);
  return html`<div class="field field-wide">
    <label for="${id}">${label}</label>
    <textarea
      id="${id}"
      name="${name}"
      rows="3"
      ${options.required ? html` required` : ''}
      aria-describedby="${id}-error"
    >
${options.value ?? ''}</textarea>
    ${errorSlot(name)}
  </div>`;
}

export function selectField(
  label: string,
  name: string,
  options: readonly Option[],
  settings: { value?: string; empty?: string; required?: boolean; type?: string } = {},
): Html {
  const id = fieldId(name);
  return html`<div class="field">
    <label for="${id}">${label}</label>
    <select
      id="${id}"
      name="${name}"
      ${settings.required ? html` required` : ''}${settings.type ? html` data-type="${settings.type}"` : ''}
      aria-describedby="${id}-error"
    >
      ${settings.empty !== undefined ? html`<option value="">${settings.empty}</option>` : ''}
      ${options.map((o) => html`<option value="${o.value}" ${o.value === settings.value ? html` selected` : ''}>${o.text}</option>`)}
    </select>
    ${errorSlot(name)}
  </div>`;
}

export function checkbox(label: string, name: string, checked = false): Html {
  const id = fieldId(name);
  return html`<div class="field field-check">
    <input
      id="${id}"
      name="${name}"
      type="checkbox"
      value="true"
      data-type="boolean"
      ${checked ? html` checked` : ''}
    />
    <label for="${id}">${label}</label>
    ${errorSlot(name)}
  </div>`;
}

export const optionsOf = (labels: Record<string, string>): Option[] =>
  Object.entries(labels).map(([value, text]) => ({ value, text }));

/** `?a=1&b=2` from the defined, non-empty values */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The form-level message area every API form has (409, 412, network errors). */
export function formAlert(): Html {
  return html`<div class="form-alert" role="alert" data-form-alert hidden></div>`;
}
