/** RFC 9457 problem details: the one error shape every endpoint answers with. */
import { HttpException } from '@nestjs/common';

export interface FieldError {
  field: string;
  message: string;
  /** the DTO constraint that made it (name and arguments), for the words of field-words.ts; not sent */
  rule?: { name: string; args: readonly unknown[]; missing?: boolean };
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

const TYPE_BASE = 'https://appeal-ledger.dev/problems/';

/**
 * An error response stays a few KB whatever the request: at most MAX_LISTED_ERRORS field errors
 * (the rest are counted in `moreErrors`), and every text cut to its limit.
 */
export const MAX_LISTED_ERRORS = 20;
export const MAX_DETAIL_LENGTH = 1000;
const MAX_FIELD_LENGTH = 100;
const MAX_MESSAGE_LENGTH = 200;

/** `text` cut to `max` characters (never splitting a surrogate pair), marked with an ellipsis. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

export class Problem extends HttpException {
  readonly detail: string;
  /** a 400's field errors as found, with their DTO rules (the body lists them without the rules) */
  fieldErrors: readonly FieldError[] = [];

  constructor(
    status: number,
    readonly slug: string,
    readonly title: string,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(clip(detail, MAX_DETAIL_LENGTH), status);
    this.detail = clip(detail, MAX_DETAIL_LENGTH);
  }

  body(instance?: string): ProblemBody {
    return {
      type: TYPE_BASE + this.slug,
      title: this.title,
      status: this.getStatus(),
      detail: this.detail,
      ...(instance ? { instance } : {}),
      ...this.extensions,
    };
  }

  /** 400 naming the offending fields: the first MAX_LISTED_ERRORS of them, and how many more. */
  static validation(errors: readonly FieldError[], detail?: string): Problem {
    const listed = errors.slice(0, MAX_LISTED_ERRORS).map((e) => ({
      field: clip(e.field, MAX_FIELD_LENGTH),
      message: clip(e.message, MAX_MESSAGE_LENGTH),
    }));
    const more = errors.length - listed.length;
    const summary =
      listed.map((e) => `${e.field}: ${e.message}`).join('; ') + (more > 0 ? `; and ${more} more` : '');
    // A caller's detail usually lists every error too: past the limit, the summary speaks instead.
    const problem = new Problem(
      400,
      'validation',
      'Invalid request',
      more > 0 ? summary : (detail ?? summary),
      {
        errors: listed,
        ...(more > 0 ? { moreErrors: more } : {}),
      },
    );
    problem.fieldErrors = errors.slice(0, MAX_LISTED_ERRORS);
    return problem;
  }

  static unauthorized(detail: string): Problem {
    return new Problem(401, 'unauthorized', 'Authentication required', detail);
  }

  /** 429; the caller sets `Retry-After` to the same seconds. */
  static tooManyRequests(detail: string, retryAfterSeconds: number): Problem {
    return new Problem(429, 'too-many-requests', 'Too many requests', detail, { retryAfterSeconds });
  }

  /** The seconds a 429 or 503 asks the client to wait (its `Retry-After`), if it names them. */
  get retryAfterSeconds(): number | undefined {
    const seconds = this.extensions.retryAfterSeconds;
    return typeof seconds === 'number' ? seconds : undefined;
  }

  static forbidden(detail: string): Problem {
    return new Problem(403, 'forbidden', 'Not allowed', detail);
  }

  static notFound(detail: string): Problem {
    return new Problem(404, 'not-found', 'Not found', detail);
  }

  static notAllowedInState(detail: string, state: string, allowedActions: string[]): Problem {
    return new Problem(409, 'not-allowed-in-state', 'Command not allowed in the current state', detail, {
      state,
      allowedActions,
    });
  }

  static conflict(
    slug: string,
    title: string,
    detail: string,
    extensions: Record<string, unknown> = {},
  ): Problem {
    return new Problem(409, slug, title, detail, extensions);
  }

  static preconditionFailed(detail: string, expectedRevision: number, actualRevision: number): Problem {
    return new Problem(412, 'precondition-failed', 'The appeal has moved on', detail, {
      expectedRevision,
      actualRevision,
    });
  }
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
