/**
 * Field-level input checks shared by the decider: each returns errors instead of throwing, so the API
 * can report all of them at once (400 with `errors: [{ field, message }]`).
 */
import { isInstant, isIsoDate } from './iso-date';

export interface FieldError {
  field: string;
  message: string;
}

export class Errors {
  readonly list: FieldError[] = [];

  add(field: string, message: string): void {
    this.list.push({ field, message });
  }

  addAll(errors: readonly FieldError[]): void {
    this.list.push(...errors);
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  date(field: string, value: unknown): value is string {
    if (isIsoDate(value)) return true;
    this.add(field, `must be a calendar date YYYY-MM-DD, got ${JSON.stringify(value)}`);
    return false;
  }

  instant(field: string, value: unknown): value is string {
    if (isInstant(value)) return true;
    this.add(
      field,
      `must be an ISO 8601 instant with offset (e.g. 2018-03-06T10:00:00+07:00), got ${JSON.stringify(value)}`,
    );
    return false;
  }

  text(field: string, value: unknown): value is string {
    if (typeof value === 'string' && value.trim() !== '') return true;
    this.add(field, 'must be a non-empty string');
    return false;
  }

  optionalText(field: string, value: unknown): void {
    if (value !== undefined) this.text(field, value);
  }

  oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): value is T {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return true;
    this.add(field, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
    return false;
  }

  integer(field: string, value: unknown, min: number, max: number): value is number {
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return true;
    this.add(field, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
    return false;
  }
}
