/**
 * The administration's configuration the decider applies: calendar, classifier, time zone, deadline
 * profile and numbering. Built once by the app (from env and data files) and passed to `decide`.
 */
import type { NonWorkingDayRule } from './events/appeal.events';
import { Classifier } from './classifier';
import { DEFAULT_NON_WORKING_DAY_RULE, DEFAULT_TERM_DAYS, type WorkingDayCalendar } from './deadlines';
import { isValidTimeZone } from './iso-date';
import { ProductionCalendar } from './production-calendar';
import {
  DEFAULT_ANONYMOUS_INITIAL,
  DEFAULT_NUMBER_PATTERN,
  validateNumberPattern,
} from './registration-number';

export const DEFAULT_TIME_ZONE = 'Asia/Novokuznetsk';

export interface AppealRules {
  calendar: WorkingDayCalendar;
  classifier: Classifier;
  /** IANA zone of the administration; instants become calendar dates there */
  timeZone: string;
  nonWorkingDayRule: NonWorkingDayRule;
  /** default consideration term in calendar days; a registration may carry a shorter profile */
  termDays: number;
  numberPattern: string;
  anonymousInitial: string;
}

/** Rules with the shipped calendar and classifier, overridable; throws on an unusable configuration. */
export function appealRules(overrides: Partial<AppealRules> = {}): AppealRules {
  const rules: AppealRules = {
    calendar: overrides.calendar ?? ProductionCalendar.shipped(),
    classifier: overrides.classifier ?? Classifier.shipped(),
    timeZone: overrides.timeZone ?? DEFAULT_TIME_ZONE,
    nonWorkingDayRule: overrides.nonWorkingDayRule ?? DEFAULT_NON_WORKING_DAY_RULE,
    termDays: overrides.termDays ?? DEFAULT_TERM_DAYS,
    numberPattern: overrides.numberPattern ?? DEFAULT_NUMBER_PATTERN,
    anonymousInitial: overrides.anonymousInitial ?? DEFAULT_ANONYMOUS_INITIAL,
  };
  const problems = [
    ...validateNumberPattern(rules.numberPattern).map((p) => `numberPattern: ${p}`),
    ...(isValidTimeZone(rules.timeZone) ? [] : [`timeZone: unknown IANA zone ${rules.timeZone}`]),
    ...(Number.isInteger(rules.termDays) && rules.termDays > 0 && rules.termDays <= DEFAULT_TERM_DAYS
      ? []
      : [`termDays: must be a whole number from 1 to ${DEFAULT_TERM_DAYS} (59-FZ art. 12 ч.1)`]),
    ...(rules.nonWorkingDayRule === 'preceding' || rules.nonWorkingDayRule === 'following'
      ? []
      : [`nonWorkingDayRule: must be preceding or following`]),
  ];
  if (problems.length > 0) throw new RangeError(`invalid appeal rules: ${problems.join('; ')}`);
  return rules;
}
