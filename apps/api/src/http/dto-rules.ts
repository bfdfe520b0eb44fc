/** Validation rules shared by the command DTOs. */
import { Matches } from 'class-validator';

export const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const DATE_MESSAGE = 'must be a calendar date YYYY-MM-DD';

/** A business time: a calendar date (local to the administration) or an instant with an offset. */
const BUSINESS_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

export const IsBusinessTime = (): PropertyDecorator =>
  Matches(BUSINESS_TIME, {
    message: 'must be a date YYYY-MM-DD or an instant with an offset, e.g. 2018-03-20T10:00:00+07:00',
  });
