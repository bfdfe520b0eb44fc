/**
 * HTML built by a tagged template that escapes every interpolated value unless it is already
 * `Html` (another template's result, or `raw()` for trusted markup). Arrays are joined; null,
 * undefined and false render nothing. Nothing reaches a page unescaped by accident.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(value));
}

/** html`<p>${text}</p>`: escapes by default. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Trusted markup, inserted as is: only for strings the code itself wrote. */
export const raw = (markup: string): Html => new Html(markup);

/** `attr('checked', true)` → ` checked`; for boolean attributes inside templates. */
export const when = (condition: boolean, markup: Html | string): Html =>
  condition ? (markup instanceof Html ? markup : new Html(escapeHtml(markup))) : new Html('');
