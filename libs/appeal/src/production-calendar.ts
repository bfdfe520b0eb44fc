/**
 * The Russian production calendar (производственный календарь) as versioned data per year: which days
 * are working days. Built from the shipped reference file; the app may extend it with later years.
 */
import type { IsoDate } from './events/appeal.events';
import { isIsoDate, isoWeekday, isWeekend, utcEpochMs, yearOf } from './iso-date';
import shippedCalendar from '../reference/production-calendar-ru-2015-2027.json';

/** One year as written in the data file (see libs/appeal/reference/README.md). */
export interface ProductionCalendarYearData {
  decree?: string;
  /** `confirmed` or `partial` (not yet checked against the published decree) */
  confidence?: string;
  holidays: IsoDate[];
  transfers?: IsoDate[][];
  extraDaysOff: IsoDate[];
  workingWeekends: IsoDate[];
  /** checksum: the year's number of working days */
  workingDays?: number;
  presidentialNonWorkingDays?: IsoDate[];
  sources?: string[];
}

/** The file shape: years as keys (`"2018"`). */
export type ProductionCalendarData = Record<string, ProductionCalendarYearData>;

export type CalendarConfidence = 'confirmed' | 'partial' | 'unknown';

export interface CalendarYearInfo {
  year: number;
  /** `unknown`: no data for that year (only reachable with `unknownYears: 'weekends_only'`) */
  confidence: CalendarConfidence;
  decree?: string;
  /** working days computed from the data (equals the file's checksum when it has one) */
  workingDays: number;
  sources: string[];
}

export interface ProductionCalendarOptions {
  /** Treat presidential non-working days (2020, 2021) as days off. Default false: they are not in the calendar. */
  presidentialNonWorkingDays?: boolean;
  /**
   * What a date in a year without data does. `throw` (default): a wrong day is a missed deadline, so
   * refuse to guess. `weekends_only`: assume a plain five-day week and report the year as `unknown`.
   */
  unknownYears?: 'throw' | 'weekends_only';
}

/** A date fell in a year the calendar has no data for. */
export class CalendarYearUnknownError extends Error {
  constructor(readonly year: number) {
    super(
      `production calendar has no data for ${year}: load that year (ProductionCalendar.extend) ` +
        `or opt into unknownYears: 'weekends_only'`,
    );
    this.name = 'CalendarYearUnknownError';
  }
}

/** The calendar data is malformed or contradicts its own checksum. */
export class CalendarDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarDataError';
  }
}

interface YearEntry {
  year: number;
  confidence: 'confirmed' | 'partial';
  decree?: string;
  sources: string[];
  daysOff: ReadonlySet<IsoDate>;
  workingWeekends: ReadonlySet<IsoDate>;
  presidential: ReadonlySet<IsoDate>;
}

/** Immutable: `extend` and `with…` return new calendars. */
export class ProductionCalendar {
  private constructor(
    private readonly years: ReadonlyMap<number, YearEntry>,
    private readonly regional: ReadonlySet<IsoDate>,
    private readonly options: Required<ProductionCalendarOptions>,
  ) {}

  /** The calendar shipped with the library (2015–2027; 2027 partial). */
  static shipped(options: ProductionCalendarOptions = {}): ProductionCalendar {
    return ProductionCalendar.fromData(shippedCalendar, options);
  }

  /** Builds a calendar from file-shaped data; throws CalendarDataError if a year is malformed. */
  static fromData(data: ProductionCalendarData, options: ProductionCalendarOptions = {}): ProductionCalendar {
    const resolved: Required<ProductionCalendarOptions> = {
      presidentialNonWorkingDays: options.presidentialNonWorkingDays ?? false,
      unknownYears: options.unknownYears ?? 'throw',
    };
    return new ProductionCalendar(parseYears(data), new Set(), resolved);
  }

  /** Adds years or replaces them (data loaded by the app layer, e.g. from a file). */
  extend(data: ProductionCalendarData): ProductionCalendar {
    const years = new Map(this.years);
    for (const [year, entry] of parseYears(data)) years.set(year, entry);
    return new ProductionCalendar(years, this.regional, this.options);
  }

  /** Regional public holidays (e.g. a republic's own holidays) as extra days off. */
  withRegionalHolidays(dates: readonly IsoDate[]): ProductionCalendar {
    for (const d of dates)
      if (!isIsoDate(d)) throw new CalendarDataError(`regional holiday is not a date: ${JSON.stringify(d)}`);
    return new ProductionCalendar(this.years, new Set([...this.regional, ...dates]), this.options);
  }

  withOptions(options: ProductionCalendarOptions): ProductionCalendar {
    return new ProductionCalendar(this.years, this.regional, { ...this.options, ...options });
  }

  isWorkingDay(date: IsoDate): boolean {
    if (this.regional.has(date)) return false;
    const entry = this.entryFor(yearOf(date));
    if (!entry) return !isWeekend(date);
    if (entry.daysOff.has(date)) return false;
    if (this.options.presidentialNonWorkingDays && entry.presidential.has(date)) return false;
    return !isWeekend(date) || entry.workingWeekends.has(date);
  }

  /** Whether the calendar has data for `year`. */
  covers(year: number): boolean {
    return this.years.has(year);
  }

  /** Years with data, ascending. */
  knownYears(): number[] {
    return [...this.years.keys()].sort((a, b) => a - b);
  }

  /** Provenance of a year; `confidence: 'unknown'` when there is no data for it (never throws). */
  yearInfo(year: number): CalendarYearInfo {
    const entry = this.years.get(year);
    if (!entry)
      return {
        year,
        confidence: 'unknown',
        workingDays: countWorkingDays(year, (d) => !isWeekend(d)),
        sources: [],
      };
    return {
      year,
      confidence: entry.confidence,
      decree: entry.decree,
      workingDays: this.workingDaysInYear(year),
      sources: entry.sources,
    };
  }

  /** Working days in `year` under this calendar's options and regional holidays. */
  workingDaysInYear(year: number): number {
    return countWorkingDays(year, (d) => this.isWorkingDay(d));
  }

  private entryFor(year: number): YearEntry | undefined {
    const entry = this.years.get(year);
    if (!entry && this.options.unknownYears === 'throw') throw new CalendarYearUnknownError(year);
    return entry;
  }
}

function countWorkingDays(year: number, isWorking: (d: IsoDate) => boolean): number {
  let count = 0;
  for (let m = 1; m <= 12; m++) {
    const days = new Date(utcEpochMs(year, m + 1, 0)).getUTCDate();
    for (let d = 1; d <= days; d++) {
      if (isWorking(`${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`)) count++;
    }
  }
  return count;
}

function parseYears(data: ProductionCalendarData): Map<number, YearEntry> {
  const years = new Map<number, YearEntry>();
  for (const [key, raw] of Object.entries(data)) {
    const year = Number(key);
    if (!/^\d{4}$/.test(key))
      throw new CalendarDataError(`calendar year key must be YYYY, got ${JSON.stringify(key)}`);
    years.set(year, parseYear(year, raw));
  }
  return years;
}

function parseYear(year: number, raw: ProductionCalendarYearData): YearEntry {
  const fail = (msg: string): never => {
    throw new CalendarDataError(`production calendar ${year}: ${msg}`);
  };
  const dates = (
    name: string,
    list: readonly IsoDate[] | undefined,
    check?: (d: IsoDate) => string | null,
  ): IsoDate[] => {
    if (list === undefined) return [];
    const value: unknown = list; // file data: the declared type is not yet checked
    if (!Array.isArray(value)) return fail(`${name} must be a list of dates`);
    for (const d of list) {
      if (!isIsoDate(d) || yearOf(d) !== year)
        fail(`${name} holds ${JSON.stringify(d)}, not a date in ${year}`);
      const problem = check?.(d);
      if (problem) fail(`${name} holds ${d}, ${problem}`);
    }
    return [...list];
  };
  const confidence = raw.confidence ?? 'confirmed';
  if (confidence !== 'confirmed' && confidence !== 'partial')
    fail(`confidence must be confirmed or partial, got ${confidence}`);
  const holidays = dates('holidays', raw.holidays);
  // The README defines extraDaysOff as Monday–Friday days and workingWeekends as Saturdays/Sundays.
  const extra = dates('extraDaysOff', raw.extraDaysOff, (d) =>
    isWeekend(d) ? 'which is a weekend day' : null,
  );
  const working = dates('workingWeekends', raw.workingWeekends, (d) =>
    isWeekend(d) ? (holidays.includes(d) ? 'which is also a holiday' : null) : `which is a ${weekdayName(d)}`,
  );
  const entry: YearEntry = {
    year,
    confidence: confidence === 'partial' ? 'partial' : 'confirmed',
    decree: raw.decree,
    sources: raw.sources ? [...raw.sources] : [],
    daysOff: new Set([...holidays, ...extra]),
    workingWeekends: new Set(working),
    presidential: new Set(dates('presidentialNonWorkingDays', raw.presidentialNonWorkingDays)),
  };
  if (raw.workingDays !== undefined) {
    const computed = countWorkingDays(
      year,
      (d) => !entry.daysOff.has(d) && (!isWeekend(d) || entry.workingWeekends.has(d)),
    );
    if (computed !== raw.workingDays)
      fail(`data gives ${computed} working days but its checksum says ${raw.workingDays}`);
  }
  return entry;
}

function weekdayName(d: IsoDate): string {
  return ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'][isoWeekday(d) - 1];
}
