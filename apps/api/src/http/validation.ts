/**
 * The global ValidationPipe, answering 400 problem+json with one entry per offending field (at most
 * Problem's MAX_LISTED_ERRORS of them). After the DTO rules pass, every date or instant of a fact
 * (the properties marked by IsBusinessTime / IsCalendarDate, nested ones too) must lie in the fact
 * window of business-time-window.ts, judged by the engine's clock in the administration's zone.
 */
import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { factWindowProblem } from '../shared/business-time-window';
import { today } from '../shared/business-time';
import type { Clock } from '../shared/clock';
import { factTimeFields } from './dto-rules';
import { FieldError, Problem } from './problem';
import { memoiseValidationRules } from './validation-rules-cache';

/** The arguments of the rule `name` on `property` of the DTO `target` (maxLength → [300]). */
function ruleArgs(target: unknown, property: string, name: string): readonly unknown[] {
  if (typeof target !== 'object' || target === null || Array.isArray(target)) return [];
  const rules = getMetadataStorage().getTargetValidationMetadatas(target.constructor, '', true, false);
  const rule = rules.find((m) => m.propertyName === property && m.name === name);
  return Array.isArray(rule?.constraints) ? (rule.constraints as unknown[]) : [];
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = parent
      ? /^\d+$/.test(e.property)
        ? `${parent}[${e.property}]`
        : `${parent}.${e.property}`
      : e.property;
    // a value not given (or blank) breaks every rule of its field: the words say «fill it in» once
    const missing =
      e.value === undefined || e.value === null || (typeof e.value === 'string' && e.value.trim() === '');
    for (const [name, message] of Object.entries(e.constraints ?? {}))
      out.push({ field, message, rule: { name, args: ruleArgs(e.target, e.property, name), missing } });
    if (e.children?.length) out.push(...flatten(e.children, field));
  }
  return out;
}

/** Fact dates of a validated DTO (and of the DTOs nested in it) outside the window. */
function factWindowErrors(dto: unknown, timeZone: string, todayDate: string, path = ''): FieldError[] {
  if (typeof dto !== 'object' || dto === null) return [];
  if (Array.isArray(dto)) {
    return dto.flatMap((item, i) => factWindowErrors(item, timeZone, todayDate, `${path}[${i}]`));
  }
  const record = dto as Record<string, unknown>;
  const errors: FieldError[] = [];
  const facts = new Set(factTimeFields(dto.constructor));
  for (const [key, value] of Object.entries(record)) {
    const field = path ? `${path}.${key}` : key;
    if (facts.has(key)) {
      const problem = factWindowProblem(value, timeZone, todayDate);
      if (problem) errors.push({ field, message: problem });
    } else if (typeof value === 'object' && value !== null) {
      // Only the DTO classes nest (the JSON parser has already capped the depth).
      errors.push(...factWindowErrors(value, timeZone, todayDate, field));
    }
  }
  return errors;
}

class EngineValidationPipe extends ValidationPipe {
  constructor(
    private readonly timeZone: string,
    private readonly clock: Clock,
  ) {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // the DTO an error was found in (ruleArgs) and the value (given or not); neither is sent
      validationError: { target: true, value: true },
      exceptionFactory: (errors) => Problem.validation(flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const result: unknown = await super.transform(value, metadata);
    if (metadata.type === 'body' && typeof result === 'object' && result !== null) {
      const errors = factWindowErrors(result, this.timeZone, today(this.timeZone, this.clock.now()));
      if (errors.length > 0) throw Problem.validation(errors);
    }
    return result;
  }
}

export function createValidationPipe(options: { timeZone: string; clock: Clock }): ValidationPipe {
  memoiseValidationRules();
  return new EngineValidationPipe(options.timeZone, options.clock);
}
