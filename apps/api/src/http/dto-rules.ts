/** Validation rules shared by the command DTOs. */
import { ValidateBy } from 'class-validator';
import { isInstant, isIsoDate } from '@appeal-ledger/appeal';

export const DATE_MESSAGE = 'must be a calendar date YYYY-MM-DD';

/** A business time: a real calendar date (local to the administration) or an instant with an offset. */
export const IsBusinessTime = (): PropertyDecorator =>
  ValidateBy({
    name: 'isBusinessTime',
    validator: {
      validate: (value: unknown) => isIsoDate(value) || isInstant(value),
      defaultMessage: () =>
        'must be an existing date YYYY-MM-DD or an instant with an offset, e.g. 2018-03-20T10:00:00+07:00',
    },
  });

/** A real calendar date YYYY-MM-DD (2018-02-30 is refused). */
export const IsCalendarDate = (): PropertyDecorator =>
  ValidateBy({
    name: 'isCalendarDate',
    validator: { validate: (value: unknown) => isIsoDate(value), defaultMessage: () => DATE_MESSAGE },
  });
