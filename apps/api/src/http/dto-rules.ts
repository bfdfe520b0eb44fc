/** Validation rules shared by the command DTOs. */
import { ValidateBy } from 'class-validator';
import { isInstant, isIsoDate } from '@appeal-ledger/appeal';

export const DATE_MESSAGE = 'must be a calendar date YYYY-MM-DD';

/** DTO class → its properties holding the date or instant of a fact (kept to the fact window). */
const FACT_TIME_FIELDS = new Map<object, string[]>();

function markFactTime(target: object, property: string | symbol): void {
  if (typeof property !== 'string') return;
  const fields = FACT_TIME_FIELDS.get(target.constructor) ?? [];
  if (!fields.includes(property)) fields.push(property);
  FACT_TIME_FIELDS.set(target.constructor, fields);
}

/** The properties of a DTO class marked by IsBusinessTime / IsCalendarDate (its own and inherited). */
export function factTimeFields(dtoClass: unknown): string[] {
  const fields: string[] = [];
  for (let c = dtoClass; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    fields.push(...(FACT_TIME_FIELDS.get(c) ?? []));
  }
  return fields;
}

/**
 * A business time: a real calendar date (local to the administration) or an instant with an offset.
 * The validation pipe also keeps it within the fact window (business-time-window.ts).
 */
export const IsBusinessTime = (): PropertyDecorator => (target, property) => {
  ValidateBy({
    name: 'isBusinessTime',
    validator: {
      validate: (value: unknown) => isIsoDate(value) || isInstant(value),
      defaultMessage: () =>
        'must be an existing date YYYY-MM-DD or an instant with an offset, e.g. 2018-03-20T10:00:00+07:00',
    },
  })(target, property);
  markFactTime(target, property);
};

/**
 * A real calendar date YYYY-MM-DD (2018-02-30 is refused), the date of a fact: the validation pipe
 * keeps it within the fact window (business-time-window.ts).
 */
export const IsCalendarDate = (): PropertyDecorator => (target, property) => {
  ValidateBy({
    name: 'isCalendarDate',
    validator: { validate: (value: unknown) => isIsoDate(value), defaultMessage: () => DATE_MESSAGE },
  })(target, property);
  markFactTime(target, property);
};
