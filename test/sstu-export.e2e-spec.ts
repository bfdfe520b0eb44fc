/**
 * Issue 15, the ССТУ.РФ monthly export (docs/sstu.md): a December 2018 export built over HTTP from
 * registered, answered, extended and forwarded appeals, checked field by field against the spec and
 * validated against docs/schemas/sstu-export.schema.json; who may download it; bad months; problems
 * instead of made-up values; erasure; the reading recorded; the same file after a rebuild.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import {
  actors,
  assignBody,
  command,
  done,
  expectProblem,
  expectValidation,
  HOUSING,
  registered,
  registration,
  ROADS,
  SOCIAL,
  type Actors,
  type AppealSummary,
  EXTENSION_DECISION,
} from './support/appeals';
import { http, startTestEngine, type HttpResult, type TestEngine } from './support/test-engine';

const OWN_ID = '7d3c1a52-5e0b-4c7e-9a51-2f6d0c8e4b19';
const PROSECUTOR_ID = 'c0a80101-0000-4000-8000-0000000000a1';
const PROSECUTOR = 'Прокуратура Кемеровского района';

const schema = JSON.parse(
  readFileSync(join(__dirname, '../docs/schemas/sstu-export.schema.json'), 'utf8'),
) as object;
const validate = addFormats(new Ajv({ allErrors: true, strict: true, strictRequired: false })).compile(
  schema,
);

interface SstuFile {
  departmentId: string;
  month: string;
  generatedAt: string;
  appeals: Record<string, unknown>[];
  problems: { registrationNumber: string; problem: string }[];
}

describe('GET /reports/sstu: the ССТУ.РФ monthly export', () => {
  let t: TestEngine;
  let who: Actors;
  let dir: string;
  const appeals: Record<string, AppealSummary> = {};
  let position = 0;

  const sstu = (query: string, token = who.controller) =>
    http<SstuFile>(t.url, 'GET', `/reports/sstu${query}`, { token });
  const step = async (result: Promise<HttpResult<AppealSummary>>): Promise<AppealSummary> => {
    const summary = await done(result);
    position = Math.max(position, summary.position);
    return summary;
  };
  const december = async (token = who.controller) => {
    const res = await sstu(`?month=2018-12&minPosition=${position}`, token);
    expect(res.status).toBe(200);
    return res;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sstu-e2e-'));
    const directory = join(dir, 'sstu-departments.json');
    writeFileSync(directory, JSON.stringify({ [PROSECUTOR]: PROSECUTOR_ID }));
    t = await startTestEngine({
      env: { SSTU_DEPARTMENT_ID: OWN_ID, SSTU_DEPARTMENTS_FILE: directory },
    });
    who = actors(t);
    const admin = who.admin;
    const reg = async (key: string, body = registration()) => {
      appeals[key] = await registered(t, who.registrar, body);
      position = Math.max(position, appeals[key].position);
      return appeals[key].id;
    };

    // A: direct, written, two questions, answered in December (supported with measures; not supported)
    const a = await reg(
      'a',
      registration({
        receivedAt: '2018-12-03',
        registeredAt: '2018-12-03',
        applicants: [
          {
            name: 'Петров Пётр Петрович',
            address: 'п. Елань, ул. Садовая, 1',
            email: 'petrov@example.ru',
            phone: '+7 900 000-00-01',
          },
          { name: 'Петрова Анна Ивановна', address: 'п. Елань, ул. Садовая, 1' },
        ],
        questions: [{ code: HOUSING }, { code: ROADS }],
      }),
    );
    await step(command(t, admin, a, 'assignment', assignBody(undefined, undefined, '2018-12-04')));
    await step(
      command(t, admin, a, 'final-answer', {
        sentAt: '2018-12-20',
        summary: 'ответ по существу',
        results: [
          { questionCode: HOUSING, result: 'supported', measuresTaken: true },
          { questionCode: ROADS, result: 'not_supported' },
        ],
      }),
    );

    // B: sent down by the region, electronic; extended in December, still in work at its end
    const b = await reg(
      'b',
      registration({
        channel: 'electronic',
        receivedAt: '2018-12-07',
        registeredAt: '2018-12-10',
        source: {
          type: 'regional_administration',
          name: 'Администрация Кемеровской области',
          reference: '01-25/4567',
          date: '2018-12-05',
        },
        applicants: [{ name: 'Сидорова Анна Викторовна', email: 'sidorova@example.ru' }],
        questions: [{ code: SOCIAL }],
      }),
    );
    await step(command(t, admin, b, 'assignment', assignBody(undefined, undefined, '2018-12-11')));
    await step(
      command(t, admin, b, 'deadline-extensions', {
        ...EXTENSION_DECISION,
        days: 10,
        reason: 'запрошены документы',
        extendedAt: '2018-12-25',
      }),
    );

    // C: forwarded by competence to the prosecutor's office (a body in the directory)
    const c = await reg(
      'c',
      registration({
        receivedAt: '2018-12-11',
        registeredAt: '2018-12-11',
        applicants: [{ name: 'Кузнецов Иван Сергеевич', address: 'с. Берёзово, ул. Лесная, 5' }],
      }),
    );
    await step(
      command(t, admin, c, 'forwarding', { to: PROSECUTOR, sentAt: '2018-12-13', reference: 'исх-12/345' }),
    );

    // D: registered in November, answered (not on the merits) in December
    const d = await reg(
      'd',
      registration({
        receivedAt: '2018-11-26',
        registeredAt: '2018-11-26',
        applicants: [{ name: 'Орлова Мария Павловна', address: 'п. Елань, ул. Мира, 3' }],
      }),
    );
    await step(command(t, admin, d, 'assignment', assignBody(undefined, undefined, '2018-11-27')));
    await step(
      command(t, admin, d, 'final-answer', {
        sentAt: '2018-12-17',
        summary: 'разъяснён порядок обжалования',
        results: [{ questionCode: HOUSING, result: 'answered' }],
      }),
    );

    // E: registered in November, nothing in December: not in December's file
    await reg('e', registration({ receivedAt: '2018-11-20', registeredAt: '2018-11-20' }));

    // F: left without answer in December
    const f = await reg(
      'f',
      registration({
        receivedAt: '2018-12-12',
        registeredAt: '2018-12-12',
        applicants: [{ name: 'Зайцев Олег Игоревич', address: 'п. Елань, ул. Новая, 7' }],
      }),
    );
    await step(command(t, admin, f, 'assignment', assignBody(undefined, undefined, '2018-12-12')));
    await step(
      command(t, admin, f, 'final-answer', {
        sentAt: '2018-12-27',
        summary: 'нецензурные выражения',
        results: [{ questionCode: HOUSING, result: 'left_without_answer' }],
      }),
    );

    // G: registered in December, answered in January: in work in December's file
    const g = await reg(
      'g',
      registration({
        receivedAt: '2018-12-26',
        registeredAt: '2018-12-27',
        applicants: [{ name: 'Белова Ольга Николаевна', address: 'п. Елань, ул. Школьная, 2' }],
      }),
    );
    await step(command(t, admin, g, 'assignment', assignBody(undefined, undefined, '2018-12-28')));
    await step(
      command(t, admin, g, 'final-answer', {
        sentAt: '2019-01-10',
        summary: 'разъяснено',
        results: [{ questionCode: HOUSING, result: 'explained' }],
      }),
    );

    // Problems: an anonymous appeal; one forwarded to a body without an ССТУ id; an erased applicant
    await reg(
      'anonymous',
      registration({
        receivedAt: '2018-12-14',
        registeredAt: '2018-12-14',
        applicants: [{ address: 'п. Елань' }],
      }),
    );
    const unknown = await reg(
      'unknownBody',
      registration({
        receivedAt: '2018-12-17',
        registeredAt: '2018-12-17',
        applicants: [{ name: 'Лебедев Лев Львович', address: 'п. Елань, ул. Речная, 4' }],
      }),
    );
    await step(
      command(t, admin, unknown, 'forwarding', {
        to: 'Управление Росреестра',
        sentAt: '2018-12-18',
        reference: '77',
      }),
    );
    const erased = await reg(
      'erased',
      registration({
        receivedAt: '2018-12-18',
        registeredAt: '2018-12-18',
        applicants: [{ name: 'Стёртый Степан Степанович', address: 'п. Елань, ул. Тайная, 9' }],
      }),
    );
    const erasure = await http(t.url, 'DELETE', `/appeals/${erased}/personal-data`, { token: admin });
    expect(erasure.status).toBe(200);
  });

  afterAll(async () => {
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers a JSON file named for the month that the schema accepts', async () => {
    const res = await december();
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="sstu-2018-12.json"');
    expect(validate(res.body)).toBe(true);
    expect(validate.errors ?? null).toBeNull();
    expect(res.body.departmentId).toBe(OWN_ID);
    expect(res.body.month).toBe('2018-12');
    expect(Date.parse(res.body.generatedAt)).not.toBeNaN();
  });

  it('holds every appeal registered or changed in December, each field as the spec says', async () => {
    const { body } = await december();
    const q = (code: string, registered: string, received: string, rest: object) => ({
      code,
      incomingDate: received,
      registrationDate: registered,
      ...rest,
    });
    expect(body.appeals).toEqual([
      {
        departmentId: OWN_ID,
        isDirect: true,
        format: 'Other',
        number: appeals.d.number,
        registrationNumber: appeals.d.number,
        incomingDate: '2018-11-26',
        registrationDate: '2018-11-26',
        name: 'Орлова Мария Павловна',
        address: 'п. Елань, ул. Мира, 3',
        questions: [
          q(HOUSING, '2018-11-26', '2018-11-26', { status: 'Answered', responseDate: '2018-12-17' }),
        ],
      },
      {
        departmentId: OWN_ID,
        isDirect: true,
        format: 'Other',
        number: appeals.a.number,
        registrationNumber: appeals.a.number,
        incomingDate: '2018-12-03',
        registrationDate: '2018-12-03',
        // a collective appeal: the first applicant, as written; the phone is not the portal's
        name: 'Петров Пётр Петрович',
        address: 'п. Елань, ул. Садовая, 1',
        email: 'petrov@example.ru',
        questions: [
          q(HOUSING, '2018-12-03', '2018-12-03', {
            status: 'Supported',
            responseDate: '2018-12-20',
            actionsTaken: true,
          }),
          q(ROADS, '2018-12-03', '2018-12-03', { status: 'NotSupported', responseDate: '2018-12-20' }),
        ],
      },
      {
        departmentId: OWN_ID,
        isDirect: false,
        format: 'Electronic',
        number: '01-25/4567',
        createDate: '2018-12-05',
        registrationNumber: appeals.b.number,
        incomingDate: '2018-12-07',
        registrationDate: '2018-12-10',
        name: 'Сидорова Анна Викторовна',
        email: 'sidorova@example.ru',
        questions: [q(SOCIAL, '2018-12-10', '2018-12-07', { status: 'InWork', isExtend: true })],
      },
      {
        departmentId: OWN_ID,
        isDirect: true,
        format: 'Other',
        number: appeals.c.number,
        registrationNumber: appeals.c.number,
        incomingDate: '2018-12-11',
        registrationDate: '2018-12-11',
        name: 'Кузнецов Иван Сергеевич',
        address: 'с. Берёзово, ул. Лесная, 5',
        questions: [
          q(HOUSING, '2018-12-11', '2018-12-11', {
            status: 'Transferred',
            transfer: {
              departmentId: PROSECUTOR_ID,
              transferDate: '2018-12-13',
              transferNumber: 'исх-12/345',
            },
          }),
        ],
      },
      {
        departmentId: OWN_ID,
        isDirect: true,
        format: 'Other',
        number: appeals.f.number,
        registrationNumber: appeals.f.number,
        incomingDate: '2018-12-12',
        registrationDate: '2018-12-12',
        name: 'Зайцев Олег Игоревич',
        address: 'п. Елань, ул. Новая, 7',
        questions: [
          q(HOUSING, '2018-12-12', '2018-12-12', { status: 'LeftWithoutAnswer', responseDate: '2018-12-27' }),
        ],
      },
      {
        departmentId: OWN_ID,
        isDirect: true,
        format: 'Other',
        number: appeals.g.number,
        registrationNumber: appeals.g.number,
        incomingDate: '2018-12-26',
        registrationDate: '2018-12-27',
        name: 'Белова Ольга Николаевна',
        address: 'п. Елань, ул. Школьная, 2',
        questions: [q(HOUSING, '2018-12-27', '2018-12-26', { status: 'InWork', isExtend: false })],
      },
    ]);
  });

  it('puts what cannot be sent as it is in problems, and an erased applicant never reappears', async () => {
    const { body } = await december();
    expect(body.problems).toEqual([
      {
        registrationNumber: appeals.anonymous.number,
        problem: expect.stringContaining('анонимное') as unknown,
      },
      {
        registrationNumber: appeals.unknownBody.number,
        problem: expect.stringContaining('«Управление Росреестра»') as unknown,
      },
      { registrationNumber: appeals.erased.number, problem: expect.stringContaining('удалены') as unknown },
    ]);
    const text = JSON.stringify(body);
    expect(text).not.toContain('Стёртый');
    expect(text).not.toContain('Тайная');
    expect(text).not.toContain('+7 900'); // phones are not the portal's
  });

  it('shows each month as it stood at its end: November before the answers, January with G answered', async () => {
    const nov = (await sstu(`?month=2018-11&minPosition=${position}`)).body;
    expect(validate(nov)).toBe(true);
    expect(
      nov.appeals.map((r) => [r.registrationNumber, (r.questions as { status: string }[])[0].status]),
    ).toEqual([
      [appeals.e.number, 'InWork'],
      [appeals.d.number, 'InWork'],
    ]);
    const jan = (await sstu(`?month=2019-01&minPosition=${position}`)).body;
    expect(validate(jan)).toBe(true);
    expect(jan.appeals).toEqual([
      expect.objectContaining({
        registrationNumber: appeals.g.number,
        questions: [expect.objectContaining({ status: 'Explained', responseDate: '2019-01-10' })],
      }),
    ]);
    expect((await sstu(`?month=2018-10&minPosition=${position}`)).body).toMatchObject({
      appeals: [],
      problems: [],
    });
  });

  it('records the reading of the applicants it opened, for the downloader', async () => {
    const before = Date.now() - 1000;
    await december(who.admin);
    const log = await http<{
      rows: { appealId: string; actor: { id: string }; purpose: string; applicants: number }[];
    }>(
      t.url,
      'GET',
      `/admin/personal-data-access?from=${encodeURIComponent(new Date(before).toISOString())}&limit=100`,
      { token: who.supervisor },
    );
    expect(log.status).toBe(200);
    const mine = log.body.rows.filter((r) => r.purpose === 'sstu_export' && r.actor.id === 'root');
    // every December appeal with personal data, each with its first applicant only; the erased one too
    // (its key is gone, nothing is opened, but the attempt is on record)
    const expected = ['a', 'b', 'c', 'd', 'f', 'g', 'anonymous', 'unknownBody', 'erased'].map(
      (k) => appeals[k].id,
    );
    expect(mine.map((r) => r.appealId).sort()).toEqual([...expected].sort());
    expect(new Set(mine.map((r) => r.applicants))).toEqual(new Set([1]));
  });

  it('is the reporting roles’ only (admin, controller of the whole administration)', async () => {
    expect((await sstu('?month=2018-12', who.admin)).status).toBe(200);
    for (const token of [who.registrar, who.supervisor, who.executor('sidorov')]) {
      expectProblem(await sstu('?month=2018-12', token), 403);
    }
    const departmentController = t.token('zhkh', ['controller'], { department: 'Отдел ЖКХ' });
    expectProblem(await sstu('?month=2018-12', departmentController), 403);
    expect((await http(t.url, 'GET', '/reports/sstu?month=2018-12')).status).toBe(401);
  });

  it('is in the OpenAPI document', async () => {
    const doc = await http<{ paths: Record<string, Record<string, unknown>> }>(t.url, 'GET', '/docs-json');
    expect(Object.keys(doc.body.paths['/reports/sstu'] ?? {})).toEqual(['get']);
  });

  it('refuses an impossible month with a 400 naming `month`', async () => {
    for (const bad of [
      '',
      '?month=',
      '?month=2018-13',
      '?month=2018-00',
      '?month=12-2018',
      '?month=2018-1',
      '?month=1999-12',
      '?month=abc',
    ]) {
      expectValidation(await sstu(bad), 'month');
    }
  });

  it('rebuilds from the events into the same export', async () => {
    const before = (await december()).body;
    const rebuilt = await http<{ events: number }>(t.url, 'POST', '/admin/projections/sstu/rebuild', {
      token: who.admin,
    });
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body.events).toBeGreaterThan(0);
    const after = (await december()).body;
    expect({ ...after, generatedAt: '' }).toEqual({ ...before, generatedAt: '' });
  });
});

describe('GET /reports/sstu without the body’s ССТУ identifier configured', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startTestEngine();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('is a 409 naming SSTU_DEPARTMENT_ID (nothing made up)', async () => {
    const problem = expectProblem(
      await http(t.url, 'GET', '/reports/sstu?month=2018-12', { token: t.token('root', ['admin']) }),
      409,
    );
    expect(problem.detail).toContain('SSTU_DEPARTMENT_ID');
  });
});
