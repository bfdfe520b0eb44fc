/** RFC 9457 problem details: the one error shape every endpoint answers with. */
import { HttpException } from '@nestjs/common';

export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

const TYPE_BASE = 'https://appeal-ledger.dev/problems/';

export class Problem extends HttpException {
  constructor(
    status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail, status);
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

  static validation(errors: FieldError[], detail?: string): Problem {
    return new Problem(
      400,
      'validation',
      'Invalid request',
      detail ?? errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      { errors },
    );
  }

  static unauthorized(detail: string): Problem {
    return new Problem(401, 'unauthorized', 'Authentication required', detail);
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
