/**
 * Builds the administration's appeal rules once at start: the shipped production calendar and
 * classifier, extended from files when configured, regional holidays, time zone and deadline rule.
 */
import { readFileSync } from 'node:fs';
import {
  appealRules,
  Classifier,
  ProductionCalendar,
  type AppealRules,
  type ClassifierExtensionData,
  type ProductionCalendarData,
} from '@appeal-ledger/appeal';
import type { AppConfig } from '../config/app-config';
import { ConfigError } from '../config/app-config';

export const APPEAL_RULES = Symbol('APPEAL_RULES');

function readJson<T>(file: string, variable: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new ConfigError(
      `${variable}: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export function buildAppealRules(config: AppConfig): AppealRules {
  let calendar = ProductionCalendar.shipped({ presidentialNonWorkingDays: config.presidentialDaysOff });
  if (config.productionCalendarFile) {
    calendar = calendar.extend(
      readJson<ProductionCalendarData>(config.productionCalendarFile, 'PRODUCTION_CALENDAR_FILE'),
    );
  }
  if (config.regionalHolidays.length) calendar = calendar.withRegionalHolidays(config.regionalHolidays);
  let classifier = Classifier.shipped();
  if (config.classifierFile) {
    classifier = classifier.extend(
      readJson<ClassifierExtensionData>(config.classifierFile, 'CLASSIFIER_FILE'),
    );
  }
  return appealRules({
    calendar,
    classifier,
    timeZone: config.timeZone,
    nonWorkingDayRule: config.nonWorkingDayRule,
    termDays: config.termDays,
    numberPattern: config.registrationNumberPattern,
    anonymousInitial: config.anonymousInitial,
  });
}
