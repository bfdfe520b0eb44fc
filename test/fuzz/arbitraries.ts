/**
 * What the fuzz suite sends: fast-check arbitraries for request plans. A plan names an endpoint and a
 * list of faults (none for a clean request); the harness turns it into bytes against the appeals it
 * holds at that moment, so the same seed replays the same run.
 */
import fc from 'fast-check';

export const COMMANDS = [
  'assignment',
  'deadline-extensions',
  'interim-answers',
  'final-answer',
  'rework',
  'closure',
  'forwarding',
  'withdrawal',
  'without-answer',
  'document-requests',
  'document-reply',
  'report-to-source',
  'further-control',
  'measures-completed',
  'related-confirm',
  'related-reject',
] as const;
export type Command = (typeof COMMANDS)[number];

export type Endpoint =
  | 'register'
  | Command
  | 'erase'
  | 'get'
  | 'history'
  | 'related'
  | 'control'
  | 'reminders'
  | 'annual'
  | 'quarterly'
  | 'monthly'
  | 'weekly'
  | 'sstu'
  | 'projections'
  | 'rebuild';

export type FieldKind = 'date' | 'instant' | 'string' | 'int' | 'enum' | 'bool' | 'object' | 'array' | 'uuid';

/** The fields of each body, with what they hold (dotted paths; `.0.` is the first element). */
export const BODY_FIELDS: Partial<Record<Endpoint, Record<string, FieldKind>>> = {
  register: {
    receivedAt: 'date',
    registeredAt: 'date',
    channel: 'enum',
    kind: 'enum',
    source: 'object',
    'source.type': 'enum',
    'source.name': 'string',
    'source.reference': 'string',
    'source.date': 'date',
    'source.reportBackBy': 'date',
    applicants: 'array',
    'applicants.0': 'object',
    'applicants.0.name': 'string',
    'applicants.0.address': 'string',
    'applicants.0.email': 'string',
    'applicants.0.phone': 'string',
    questions: 'array',
    'questions.0': 'object',
    'questions.0.code': 'string',
    'questions.0.summary': 'string',
    territory: 'string',
    summary: 'string',
    reception: 'object',
    'reception.officialRole': 'enum',
    'reception.officialName': 'string',
    'reception.onSite': 'bool',
    repeatOf: 'uuid',
    reportsOffence: 'bool',
    termDays: 'int',
    termBasis: 'string',
    electronicRoute: 'enum',
  },
  assignment: {
    executor: 'object',
    'executor.id': 'string',
    'executor.name': 'string',
    department: 'string',
    instructions: 'string',
    assignedAt: 'instant',
  },
  'deadline-extensions': {
    days: 'int',
    reason: 'string',
    extendedAt: 'instant',
    decidedBy: 'object',
    'decidedBy.name': 'string',
    'decidedBy.position': 'string',
    applicantNotifiedAt: 'instant',
  },
  'interim-answers': {
    sentAt: 'instant',
    summary: 'string',
    finalAnswerBy: 'date',
    outgoingNumber: 'string',
    outgoingDate: 'date',
    signedBy: 'object',
    'signedBy.name': 'string',
    'signedBy.position': 'string',
    delivery: 'enum',
  },
  'final-answer': {
    sentAt: 'instant',
    summary: 'string',
    results: 'array',
    'results.0': 'object',
    'results.0.questionCode': 'string',
    'results.0.result': 'enum',
    'results.0.measuresTaken': 'bool',
    onSiteVisit: 'bool',
    outgoingNumber: 'string',
    outgoingDate: 'date',
    signedBy: 'object',
    'signedBy.name': 'string',
    'signedBy.position': 'string',
    delivery: 'enum',
  },
  rework: { reason: 'string', returnedAt: 'instant' },
  closure: { closedAt: 'instant' },
  forwarding: {
    to: 'string',
    sentAt: 'instant',
    reference: 'string',
    questionCodes: 'array',
    'questionCodes.0': 'string',
    applicantNotifiedAt: 'instant',
  },
  withdrawal: { withdrawnAt: 'instant', reason: 'string' },
  'without-answer': {
    ground: 'enum',
    decidedAt: 'instant',
    notice: 'object',
    'notice.sentAt': 'instant',
    'notice.text': 'string',
    link: 'string',
  },
  'document-requests': { to: 'string', sentAt: 'instant', reference: 'string' },
  'document-reply': { receivedAt: 'instant' },
  'report-to-source': { sentAt: 'instant', reference: 'string' },
  'further-control': { until: 'date', reason: 'string', setAt: 'instant' },
  'measures-completed': { completedAt: 'instant' },
  'related-confirm': { relatedAppealId: 'uuid', kind: 'enum', decidedAt: 'instant' },
  'related-reject': { relatedAppealId: 'uuid', kind: 'enum', decidedAt: 'instant' },
};

// ---------------------------------------------------------------------------------------------
// Values

/** Odd pieces of text: NUL, lone surrogates, bidi marks, emoji sequences, combining marks, markup. */
const PIECES = [
  '\u0000',
  '\ud800',
  '\udfff',
  '\udc00x',
  'x\ud83d',
  '\u202e',
  '\u200f',
  '\u200b',
  '\ufeff',
  '\u{1F468}\u200d\u{1F469}\u200d\u{1F467}',
  '\u{1F3F3}\ufe0f\u200d\u{1F308}',
  'e\u0301\u0301\u0301\u0301',
  'Z\u0337\u0322\u031b\u031b\u034d',
  '\u0007',
  '\r\n',
  '\t',
  '%00',
  '\\',
  '"',
  "'; DROP TABLE events; --",
  '<script>alert(1)</script>',
  '${x}{{7*7}}',
  '__proto__',
  '\uffff',
  '\ufffe',
  '\u{10FFFF}',
  ' ',
  'Петров',
  'a',
];

export const oddString: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 8 }).map((a) => a.join('')),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.string({ maxLength: 20 }),
        fc.integer({ min: 0xd800, max: 0xdfff }),
        fc.string({ maxLength: 20 }),
      )
      .map(([a, unit, b]) => a + String.fromCharCode(unit) + b),
  },
  {
    // long text: up to ~800 KB of UTF-8, so one request stays under the 1 MB body limit
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('a', 'я', '\u{1F600}', 'e\u0301', 'ab\u0000'),
        fc.constantFrom(300, 5_001, 20_001, 60_000, 190_000),
      )
      .map(([unit, n]) => unit.repeat(Math.max(1, Math.floor(n / unit.length)))),
  },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\u00a0', '\n') },
);

const pad = (n: number, width: number) => String(Math.abs(n)).padStart(width, '0');

const YEARS = [0, 1, 5, 50, 999, 1000, 1899, 1900, 1969, 1970, 1979, 1980, 1999, 2000, 2017, 2018, 2024];
const yearArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...YEARS) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 9999 }) },
  { weight: 1, arbitrary: fc.constant(new Date().getUTCFullYear() + 1) },
  { weight: 1, arbitrary: fc.constantFrom(2100, 9998, 9999) },
);

/** A calendar date text: any year 0000–9999, real or impossible days (Feb 29/30, month 13, day 32). */
const calendarDate = fc
  .tuple(
    yearArb,
    fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 12 }) }, fc.constantFrom(0, 13)),
    fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 28 }) }, fc.constantFrom(29, 30, 31, 0, 32)),
  )
  .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`);

/** Leap days (real and not) and the ends of the representable range. */
const leapDay = fc.constantFrom(
  '2000-02-29',
  '2016-02-29',
  '2024-02-29',
  '1900-02-29',
  '2100-02-29',
  '2019-02-29',
  '0004-02-29',
  '0000-02-29',
  '0000-01-01',
  '0001-01-01',
  '1969-12-31',
  '1970-01-01',
  '9999-12-31',
);

const OFFSETS = [
  'Z',
  'z',
  '+07:00',
  '-12:00',
  '+14:00',
  '-14:00',
  '+23:59',
  '+24:00',
  '-00:00',
  '+0700',
  '+07',
  '+07:00:30',
  '',
];
const TIMES = [
  '00:00:00',
  '12:30:00',
  '23:59:59',
  '24:00:00',
  '23:59:60',
  '25:00:00',
  '12:30',
  '12:30:00.123456789',
  '12:30:00,5',
  'T',
];

const instantText = fc
  .tuple(fc.oneof(calendarDate, leapDay), fc.constantFrom(...TIMES), fc.constantFrom(...OFFSETS))
  .map(([d, t, o]) => `${d}T${t}${o}`);

/** Recent and therefore plausible business times: today, yesterday, now, with odd offsets. */
const recent = fc.constantFrom(0, 1, 2, 10, 400).map((daysAgo) => {
  const d = new Date(Date.now() - daysAgo * 86_400_000);
  return daysAgo === 0 ? d.toISOString() : d.toISOString().slice(0, 10);
});

const junkDate = fc.constantFrom(
  '',
  'now',
  'yesterday',
  '2018-3-5',
  '05.03.2018',
  '2018-03-05T',
  ' 2018-03-05',
  '2018-03-05 ',
  '2018-03-05\u0000',
  '\uff12\uff10\uff11\uff18-03-05',
  '2018-W10',
  '2018-064',
  '-0001-01-01',
  '-2018-03-05',
  '+002018-03-05',
  '+275760-09-13',
  '-271821-04-20T00:00:00Z',
  '10000-01-01',
  '99999-12-31T00:00:00Z',
  '2018-03-05T10:00:00+07:00[Asia/Novokuznetsk]',
  '2018-03-05T10:00:00 +07:00',
  '2018-03-05t10:00:00z',
  '1520208000000',
  '2018-03-05\ud800',
);

export const dateLike: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: calendarDate },
  { weight: 2, arbitrary: leapDay },
  { weight: 4, arbitrary: instantText },
  { weight: 2, arbitrary: recent },
  { weight: 3, arbitrary: junkDate },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(1520208000000, -1, null, true, [], {}, ['2018-03-05']) },
);

const oddNumber = fc.constantFrom<unknown>(
  0,
  -1,
  31,
  1.5,
  1e21,
  -1e21,
  Number.MAX_SAFE_INTEGER + 2,
  '10',
  '1e1',
  null,
  true,
  [10],
  { days: 10 },
  1e308,
);

const wrongType = fc.constantFrom<unknown>(
  null,
  0,
  1,
  -1,
  true,
  false,
  '',
  'x',
  [],
  [null],
  {},
  { a: 1 },
  1e308,
);

/** A value for a field of the given kind that a validator must look at twice. */
function oddValueFor(kind: FieldKind): fc.Arbitrary<unknown> {
  switch (kind) {
    case 'date':
    case 'instant':
      return fc.oneof({ weight: 4, arbitrary: dateLike }, { weight: 1, arbitrary: oddString });
    case 'string':
    case 'enum':
    case 'uuid':
      return fc.oneof({ weight: 4, arbitrary: oddString }, { weight: 1, arbitrary: wrongType });
    case 'int':
      return oddNumber;
    case 'bool':
    case 'object':
    case 'array':
      return fc.oneof(wrongType, oddString);
    default: {
      const never: never = kind;
      throw new Error(`unknown kind ${String(never)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Faults

export type BodyFault =
  | { kind: 'drop'; field: string }
  | { kind: 'set'; field: string; value: unknown }
  | { kind: 'extra'; field: string; value: unknown }
  | { kind: 'big-array'; field: string; count: number; distinct: boolean }
  | { kind: 'whole'; name: string; bytes: () => Buffer };

export type HeaderFault =
  | { kind: 'content-type'; value: string | null }
  /** value null: the revision before the appeal's current one */
  | { kind: 'if-match'; value: string | Buffer | null }
  /** value null: a UUID from the few keys used lately (a replay, or the same key on another body) */
  | { kind: 'idempotency-key'; value: string | Buffer | null }
  | { kind: 'header'; name: string; value: string | Buffer };

export type AuthFault = { kind: 'roles'; roles: string[] } | { kind: 'token'; name: string };

export type Fault =
  | { area: 'body'; fault: BodyFault }
  | { area: 'header'; fault: HeaderFault }
  | { area: 'auth'; fault: AuthFault }
  | { area: 'id'; value: string; name: string }
  | { area: 'query'; key: string; value: string; name: string };

export interface RequestPlan {
  endpoint: Endpoint;
  /** which appeal of the pool (taken modulo its size when the request is built) */
  appeal: number;
  /** choices a clean request varies on (channel, number of applicants, format, …) */
  variant: number;
  faults: Fault[];
}

/** Text, Buffer-encoded whole bodies: not JSON, JSON of the wrong shape, deep, huge, raw bad bytes. */
const wholeBody: fc.Arbitrary<BodyFault> = fc.oneof(
  fc
    .constantFrom(
      '',
      ' ',
      'null',
      '[]',
      '"x"',
      '123',
      'true',
      '{',
      '{"a":',
      '{}garbage',
      '{"a":1}{"b":2}',
      "{'a':1}",
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '\ufeff{}',
      'a=1&b=2',
    )
    .map((text) => ({
      kind: 'whole' as const,
      name: `text:${JSON.stringify(text).slice(0, 30)}`,
      bytes: () => Buffer.from(text),
    })),
  fc
    .tuple(fc.constantFrom('[', '{"a":'), fc.constantFrom(50, 1_000, 3_000, 10_000, 100_000))
    .map(([open, depth]) => ({
      kind: 'whole' as const,
      name: `deep:${open === '[' ? 'array' : 'object'}:${depth}`,
      bytes: () => Buffer.from(open.repeat(depth) + '1' + (open === '[' ? ']' : '}').repeat(depth)),
    })),
  fc.constantFrom(1_000, 50_000, 150_000).map((n) => ({
    kind: 'whole' as const,
    name: `flat-array:${n}`,
    bytes: () => Buffer.from(JSON.stringify(Array.from({ length: n }, (_, i) => i))),
  })),
  fc
    .constantFrom(
      { name: 'raw:invalid-utf8', bytes: [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d] },
      {
        name: 'raw:cesu-surrogate',
        bytes: [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d],
      },
      { name: 'raw:nul-in-string', bytes: [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0x00, 0x22, 0x7d] },
      { name: 'raw:overlong-slash', bytes: [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d] },
    )
    .map(({ name, bytes }) => ({ kind: 'whole' as const, name, bytes: () => Buffer.from(bytes) })),
);

/** Over the 1 MB body limit: must be a 413 (kept rare: each is 1–2 MB on the wire). */
const oversizedBody: fc.Arbitrary<BodyFault> = fc.constantFrom(1_100_000, 2_000_000).map((n) => ({
  kind: 'whole' as const,
  name: `oversized:${n}`,
  bytes: () => Buffer.from(JSON.stringify({ summary: 'x'.repeat(n) })),
}));

function bodyFault(endpoint: Endpoint): fc.Arbitrary<BodyFault> {
  const fields = BODY_FIELDS[endpoint] ?? {};
  const names = Object.keys(fields);
  const arrays = names.filter((n) => fields[n] === 'array');
  const options: fc.WeightedArbitrary<BodyFault>[] = [
    { weight: 3, arbitrary: wholeBody },
    { weight: 1, arbitrary: oversizedBody.filter(() => true) },
  ];
  if (names.length > 0) {
    const field = fc.constantFrom(...names);
    options.push(
      { weight: 4, arbitrary: field.map((f) => ({ kind: 'drop' as const, field: f })) },
      {
        weight: 12,
        arbitrary: field.chain((f) =>
          oddValueFor(fields[f]).map((value) => ({ kind: 'set' as const, field: f, value })),
        ),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(
            fc.constantFrom('', ...names.filter((n) => fields[n] === 'object').map((n) => `${n}.`)),
            fc.constantFrom(
              'extra',
              '__proto__',
              'constructor',
              'prototype',
              'toString',
              '\u0000',
              '\ud800',
              'a'.repeat(300),
            ),
            fc.oneof(wrongType, oddString),
          )
          .map(([at, key, value]) => ({ kind: 'extra' as const, field: at + key, value })),
      },
    );
  }
  if (arrays.length > 0) {
    options.push({
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('big-array' as const),
        field: fc.constantFrom(...arrays),
        count: fc.constantFrom(2, 101, 1_001, 5_000, 20_000),
        distinct: fc.boolean(),
      }),
    });
  }
  return fc.oneof(...options);
}

const uuid = fc.uuid();

const headerFault: fc.Arbitrary<HeaderFault> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(
        null,
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=utf-16',
        'application/json; charset=latin1',
        'APPLICATION/JSON',
        'application/vnd.api+json',
        'application/problem+json',
        '*/*',
        '',
        'application/json\u00ff',
        'application/xml',
        'application/json, text/plain',
      )
      .map((value) => ({ kind: 'content-type' as const, value })),
  },
  {
    weight: 3,
    arbitrary: fc
      .oneof(
        fc.constantFrom<string | Buffer | null>(
          null,
          '*',
          'W/"1"',
          '"-1"',
          '"1e3"',
          '"99999999999999999999999"',
          '99999999999999999999999',
          '"1", "2"',
          '""',
          'garbage',
          '"\u00e9"',
          Buffer.from('"1\u0000"', 'latin1'),
          Buffer.from([0x22, 0xff, 0x22]),
        ),
        fc.constantFrom(200, 5_000, 15_000).map((n) => '"' + '9'.repeat(n) + '"'),
        oddString.map((s) => s.slice(0, 200)),
      )
      .map((value) => ({ kind: 'if-match' as const, value })),
  },
  {
    weight: 3,
    arbitrary: fc
      .oneof(
        fc.constantFrom<string | Buffer | null>(
          null,
          null,
          'not-a-uuid',
          '00000000-0000-0000-0000-000000000000',
          ' ',
          Buffer.from('6f1c3d9e-2c2a-4a8e-9a3b-6f0a1e2b3c4d\u0000', 'latin1'),
          Buffer.from([0xff, 0xfe, 0x00]),
        ),
        fc.constantFrom(100, 4_000, 20_000).map((n) => 'k'.repeat(n)),
        uuid.map((u) => u.toUpperCase()),
        oddString.map((s) => s.slice(0, 200)),
      )
      .map((value) => ({ kind: 'idempotency-key' as const, value })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          'X-Correlation-Id',
          'Accept',
          'Accept-Encoding',
          'Content-Encoding',
          'Transfer-Encoding',
          'X-Forwarded-For',
          'Cookie',
        ),
        fc.oneof(
          fc.constantFrom<string | Buffer>(
            'gzip',
            'chunked',
            'text/csv',
            '*/*;q=0',
            '../../etc/passwd',
            Buffer.from([0x61, 0x00, 0x62]),
            Buffer.from([0xff, 0xff]),
          ),
          oddString.map((s) => s.slice(0, 300)),
        ),
      )
      .map(([name, value]) => ({ kind: 'header' as const, name, value })),
  },
);

export const BAD_TOKENS = [
  'missing',
  'empty-bearer',
  'basic',
  'bearer-extra',
  'expired',
  'not-yet-valid',
  'alg-none',
  'alg-hs512',
  'alg-rs256',
  'wrong-secret',
  'two-segments',
  'four-segments',
  'garbage-base64',
  'header-not-json',
  'claims-null',
  'claims-array',
  'huge',
  'no-sub',
  'sub-number',
  'sub-empty',
  'roles-string',
  'roles-junk',
  'exp-string',
  'sub-nul',
  'sub-surrogate',
  'name-nul',
  'name-surrogate',
  'sub-long',
  'department-nul',
  'department-object',
  'unicode-in-header',
  'control-byte-in-header',
] as const;

const authFault: fc.Arbitrary<AuthFault> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc
      .constantFrom<string[]>(
        [],
        ['root'],
        ['ADMIN'],
        ['registrar'],
        ['controller'],
        ['executor'],
        ['supervisor'],
        ['admin'],
        ['registrar', 'controller', 'executor', 'supervisor', 'admin'],
        ['__proto__'],
      )
      .map((roles) => ({ kind: 'roles' as const, roles })),
  },
  { weight: 3, arbitrary: fc.constantFrom(...BAD_TOKENS).map((name) => ({ kind: 'token' as const, name })) },
);

const ID_VARIANTS: [string, string][] = [
  ['unknown-uuid', 'e2b5a2b4-8a5f-4c3e-9d67-000000000000'],
  ['nil-uuid', '00000000-0000-0000-0000-000000000000'],
  ['not-uuid', 'x'],
  ['dotdot', '..'],
  ['pct-nul', '%00'],
  ['pct-surrogate', '%ED%A0%80'],
  ['pct-bad', '%zz'],
  ['pct-overlong', '%C0%AF'],
  ['number', '-1'],
  ['long', 'a'.repeat(5_000)],
  ['uuid-space', 'e2b5a2b4-8a5f-4c3e-9d67-0000000000%20'],
  ['raw-unicode', 'обращение'],
  ['emoji', '%F0%9F%98%80'],
];

const idFault: fc.Arbitrary<Fault> = fc.oneof(
  fc.constantFrom(...ID_VARIANTS).map(([name, value]) => ({ area: 'id' as const, name, value })),
  fc.constant({ area: 'id' as const, name: 'upper-case', value: 'UPPER' }),
);

/** A query value, already percent-encoded; lone surrogates go out as their (invalid) UTF-8 bytes. */
export function encodeQueryValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const next = value.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(value.slice(i, i + 2));
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out +=
        `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    } else {
      out += encodeURIComponent(value[i] ?? '');
    }
  }
  return out;
}

const QUERY_KEYS: Partial<Record<Endpoint, string[]>> = {
  get: ['asOf'],
  related: ['minPosition'],
  control: [
    'state',
    'department',
    'executorId',
    'overdue',
    'dueBefore',
    'onControl',
    'limit',
    'cursor',
    'minPosition',
  ],
  reminders: ['since', 'department', 'appealId', 'limit', 'minPosition'],
  annual: ['year', 'compareTo', 'format', 'asOf', 'minPosition'],
  quarterly: ['year', 'quarter', 'compareTo', 'format', 'asOf', 'minPosition'],
  monthly: ['year', 'month', 'compareTo', 'format', 'asOf', 'minPosition'],
  weekly: ['week', 'format', 'minPosition'],
  sstu: ['month', 'minPosition'],
};

const DATE_KEYS = new Set(['asOf', 'dueBefore']);
const NUMBER_KEYS = new Set(['limit', 'since', 'minPosition', 'year', 'compareTo', 'quarter', 'month']);

const oddNumberText = fc.constantFrom(
  '-1',
  '0',
  '1.5',
  '1e3',
  '0x10',
  ' 1',
  '+1',
  '99999999999999999999999',
  '9007199254740993',
  '1000000000000000',
  'NaN',
  'Infinity',
  '',
  '%00',
  '2018abc',
  '１',
);

const weekText = fc.oneof(
  fc.tuple(yearArb, fc.constantFrom(0, 1, 10, 52, 53, 54, 99)).map(([y, w]) => `${pad(y, 4)}-W${pad(w, 2)}`),
  fc.constantFrom('2018-W5', '2018W50', '2018-w50', '-001-W01', '+2018-W01', '2018-W50-1', 'W50'),
);

/** `YYYY-MM` of any year, real and impossible months, and near misses. */
const monthText = fc.oneof(
  fc.tuple(yearArb, fc.constantFrom(0, 1, 2, 12, 13, 99)).map(([y, m]) => `${pad(y, 4)}-${pad(m, 2)}`),
  fc.constantFrom('2018-1', '201812', '2018-12-01', '2018-W50', '-2018-12', '+2018-12', '12-2018', '2018—12'),
);

const cursorText = fc.oneof(
  fc.constantFrom('x', '%00', 'eyJ9', 'e30', 'bnVsbA', 'W10', 'eyJkdWUiOiIwMDAwLTAwLTAwIiwiaWQiOiJ4In0', '='),
  fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url')),
  fc.string({ maxLength: 40 }).map((s) => Buffer.from(s).toString('base64')),
);

function queryValue(endpoint: Endpoint, key: string): fc.Arbitrary<[string, string]> {
  const text = (arb: fc.Arbitrary<string>, name: string) =>
    arb.map((v): [string, string] => [name, encodeQueryValue(v)]);
  const options: fc.Arbitrary<[string, string]>[] = [
    text(
      oddString.map((s) => s.slice(0, 2_000)),
      'odd-string',
    ),
  ];
  if (DATE_KEYS.has(key))
    options.push(
      text(
        dateLike.map((d) => (typeof d === 'string' ? d : JSON.stringify(d))),
        'date',
      ),
    );
  if (NUMBER_KEYS.has(key)) options.push(text(oddNumberText, 'number'));
  if (key === 'week') options.push(text(weekText, 'week'));
  if (endpoint === 'sstu' && key === 'month') options.push(text(monthText, 'month'));
  if (key === 'cursor') options.push(text(cursorText, 'cursor'));
  if (key === 'format')
    options.push(text(fc.constantFrom('csv', 'xlsx', 'html', 'json', 'pdf', 'XLSX', ''), 'format'));
  if (endpoint === 'control' && (key === 'overdue' || key === 'onControl'))
    options.push(text(fc.constantFrom('1', 'TRUE', 'yes', 'false ', ''), 'bool'));
  options.push(
    fc.constantFrom<[string, string]>(
      ['pct', '%'],
      ['pct', '%zz'],
      ['pct', '%ED%A0%80'],
      ['pct', '%C0%80'],
      ['pct', '%00'],
    ),
  );
  return fc.oneof(...options);
}

function queryFault(endpoint: Endpoint): fc.Arbitrary<Fault> | undefined {
  const keys = QUERY_KEYS[endpoint];
  if (!keys) return undefined;
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .constantFrom(...keys)
        .chain((key) =>
          queryValue(endpoint, key).map(([name, value]) => ({ area: 'query' as const, key, value, name })),
        ),
    },
    {
      // the same parameter twice (a list where a string is expected), or one nobody asked for
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...keys, 'unknown', '__proto__', 'constructor', 'a[b]', 'state[]'),
          fc.constantFrom('1', 'x', '2018-01-01'),
        )
        .map(([key, value]) => ({ area: 'query' as const, key, value, name: 'repeat-or-unknown' })),
    },
  );
}

const ENDPOINT_WEIGHTS: [Endpoint, number][] = [
  ['register', 120],
  ['assignment', 60],
  ['deadline-extensions', 45],
  ['interim-answers', 55],
  ['final-answer', 60],
  ['rework', 35],
  ['closure', 40],
  ['forwarding', 35],
  ['withdrawal', 35],
  ['without-answer', 30],
  ['document-requests', 30],
  ['document-reply', 25],
  ['report-to-source', 20],
  ['further-control', 25],
  ['measures-completed', 20],
  ['related-confirm', 20],
  ['related-reject', 20],
  ['erase', 15],
  ['get', 60],
  ['history', 35],
  ['related', 25],
  ['control', 80],
  ['reminders', 40],
  ['annual', 30],
  ['quarterly', 20],
  ['monthly', 20],
  ['weekly', 30],
  ['sstu', 20],
  ['projections', 8],
  ['rebuild', 2],
];

const APPEAL_ENDPOINTS = new Set<Endpoint>([...COMMANDS, 'erase', 'get', 'history', 'related']);
const BODY_ENDPOINTS = new Set<Endpoint>(['register', ...COMMANDS]);

function faultFor(endpoint: Endpoint): fc.Arbitrary<Fault> {
  const options: fc.WeightedArbitrary<Fault>[] = [
    { weight: 2, arbitrary: authFault.map((fault) => ({ area: 'auth' as const, fault })) },
  ];
  if (BODY_ENDPOINTS.has(endpoint)) {
    options.push(
      { weight: 10, arbitrary: bodyFault(endpoint).map((fault) => ({ area: 'body' as const, fault })) },
      { weight: 3, arbitrary: headerFault.map((fault) => ({ area: 'header' as const, fault })) },
    );
  } else {
    options.push({
      weight: 1,
      arbitrary: headerFault
        .filter((h) => h.kind === 'header')
        .map((fault) => ({ area: 'header' as const, fault })),
    });
  }
  if (APPEAL_ENDPOINTS.has(endpoint)) options.push({ weight: 2, arbitrary: idFault });
  const query = queryFault(endpoint);
  if (query) options.push({ weight: 8, arbitrary: query });
  if (endpoint === 'rebuild')
    options.push({
      weight: 4,
      arbitrary: fc
        .constantFrom(...ID_VARIANTS, ['unknown', 'nope'] as [string, string])
        .map(([name, value]) => ({ area: 'id' as const, name, value })),
    });
  return fc.oneof(...options);
}

/**
 * One request: an endpoint, an appeal of the pool, and none (a clean request, about a third) or up
 * to three faults.
 */
export const requestPlan: fc.Arbitrary<RequestPlan> = fc
  .oneof(...ENDPOINT_WEIGHTS.map(([endpoint, weight]) => ({ weight, arbitrary: fc.constant(endpoint) })))
  .chain((endpoint) =>
    fc.record({
      endpoint: fc.constant(endpoint),
      appeal: fc.nat(),
      variant: fc.nat(),
      faults: fc.oneof(
        { weight: 35, arbitrary: fc.constant<Fault[]>([]) },
        { weight: 65, arbitrary: fc.array(faultFor(endpoint), { minLength: 1, maxLength: 3 }) },
      ),
    }),
  );
