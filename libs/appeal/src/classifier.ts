/**
 * The federal thematic classifier of appeals (section.theme.topic.question[.sub]): code validation
 * against versioned reference data, extendable with a fuller classifier supplied by an administration.
 */
import shippedThemes from '../reference/classifier-themes.json';
import type { FieldError } from './validation';

export interface ClassifierEntry {
  code: string;
  name: string;
}

/** Shape of `reference/classifier-themes.json`. */
export interface ClassifierThemesData {
  sections: Record<string, string>;
  themes: (ClassifierEntry & { confirmed?: boolean })[];
}

/**
 * A fuller classifier loaded from a file. With `complete: true` a code's topic and question must be
 * listed; otherwise well-formed deeper codes under a known theme are accepted.
 */
export interface ClassifierExtensionData {
  version?: string;
  themes?: ClassifierEntry[];
  topics?: ClassifierEntry[];
  questions?: ClassifierEntry[];
  complete?: boolean;
}

export interface ClassifierCode {
  section: string;
  /** first two groups, e.g. `0005.0005` */
  theme: string;
  /** first three groups */
  topic: string;
  /** first four groups — the question */
  question: string;
  /** optional fifth group */
  sub?: string;
}

const CODE = /^(\d{4})\.(\d{4})\.(\d{4})\.(\d{4})(?:\.(\d{4}))?$/;
const SECTIONS = ['0001', '0002', '0003', '0004', '0005'];

/** Splits a well-formed code into its levels, or null. Does not check reference data. */
export function parseClassifierCode(code: string): ClassifierCode | null {
  const m = CODE.exec(code);
  if (!m) return null;
  const [, s, t, tp, q, sub] = m;
  return { section: s, theme: `${s}.${t}`, topic: `${s}.${t}.${tp}`, question: `${s}.${t}.${tp}.${q}`, sub };
}

/** Immutable; `extend` returns a new classifier. */
export class Classifier {
  private constructor(
    private readonly sections: ReadonlyMap<string, string>,
    private readonly themes: ReadonlyMap<string, string>,
    private readonly topics: ReadonlyMap<string, string>,
    private readonly questions: ReadonlyMap<string, string>,
    private readonly complete: boolean,
    readonly versions: readonly string[],
  ) {}

  /** Sections and themes shipped with the library. */
  static shipped(): Classifier {
    return Classifier.fromThemes(shippedThemes);
  }

  static fromThemes(data: ClassifierThemesData): Classifier {
    return new Classifier(
      new Map(Object.entries(data.sections)),
      new Map(data.themes.map((t) => [t.code, t.name])),
      new Map(),
      new Map(),
      false,
      ['shipped-themes'],
    );
  }

  extend(data: ClassifierExtensionData): Classifier {
    const merge = (base: ReadonlyMap<string, string>, add: ClassifierEntry[] | undefined, level: number) => {
      const out = new Map(base);
      for (const e of add ?? []) {
        if (!new RegExp(`^\\d{4}(\\.\\d{4}){${level - 1}}$`).test(e.code)) {
          throw new RangeError(`classifier entry ${JSON.stringify(e.code)} is not a level-${level} code`);
        }
        out.set(e.code, e.name);
      }
      return out;
    };
    return new Classifier(
      this.sections,
      merge(this.themes, data.themes, 2),
      merge(this.topics, data.topics, 3),
      merge(this.questions, data.questions, 4),
      this.complete || data.complete === true,
      [...this.versions, data.version ?? 'unversioned'],
    );
  }

  /** Field errors for one code (empty when valid). `field` names the input, e.g. `questions[0].code`. */
  validate(code: unknown, field = 'code'): FieldError[] {
    if (typeof code !== 'string') return [{ field, message: 'classifier code must be a string' }];
    const parsed = parseClassifierCode(code);
    if (!parsed) {
      return [
        {
          field,
          message: `classifier code ${JSON.stringify(code)} must look like NNNN.NNNN.NNNN.NNNN (optionally .NNNN)`,
        },
      ];
    }
    if (!SECTIONS.includes(parsed.section) || !this.sections.has(parsed.section)) {
      return [{ field, message: `classifier section ${parsed.section} does not exist (0001–0005)` }];
    }
    if (!this.themes.has(parsed.theme)) {
      return [{ field, message: `classifier theme ${parsed.theme} is not in the classifier` }];
    }
    if (this.complete && !this.topics.has(parsed.topic)) {
      return [{ field, message: `classifier topic ${parsed.topic} is not in the classifier` }];
    }
    if (this.complete && !this.questions.has(parsed.question)) {
      return [{ field, message: `classifier question ${parsed.question} is not in the classifier` }];
    }
    return [];
  }

  isValid(code: string): boolean {
    return this.validate(code).length === 0;
  }

  /** The most specific known name for a code (question, topic, theme or section). */
  nameOf(code: string): string | undefined {
    const p = parseClassifierCode(code);
    if (!p) return this.themes.get(code) ?? this.topics.get(code) ?? this.sections.get(code);
    return (
      this.questions.get(p.question) ??
      this.topics.get(p.topic) ??
      this.themes.get(p.theme) ??
      this.sections.get(p.section)
    );
  }

  /**
   * Entries whose code starts with the query or whose name contains all its words (case ignored),
   * most specific level last within a section: for the registration card's picker.
   */
  search(query: string, limit = 20): ClassifierEntry[] {
    const q = query.trim().toLowerCase();
    if (q === '') return [];
    const words = q.split(/\s+/);
    const byCode = /^[\d.]+$/.test(q);
    const found: ClassifierEntry[] = [];
    for (const level of [this.sections, this.themes, this.topics, this.questions]) {
      for (const [code, name] of level) {
        const lower = name.toLowerCase();
        if (byCode ? code.startsWith(q) : words.every((w) => lower.includes(w))) found.push({ code, name });
      }
    }
    return found.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)).slice(0, limit);
  }
}
