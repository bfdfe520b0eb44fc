/**
 * The ССТУ.РФ export and duplicates (docs/sstu.md, "Which records a month's export holds"; decision
 * 0008), over HTTP: a copy of an appeal under consideration that came again through the region,
 * confirmed as a duplicate and joined to its original, is reported on its own record — its own
 * source, number and dates — with its original's result for each question; before the join with its
 * own status; a copy whose relation was rejected keeps its own; a rebuild gives the same file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import {
  actors,
  assignBody,
  command,
  done,
  HOUSING,
  registered,
  registration,
  ROADS,
  type Actors,
  type AppealSummary,
} from './support/appeals';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

const OWN_ID = '7d3c1a52-5e0b-4c7e-9a51-2f6d0c8e4b19';

const schema = JSON.parse(
  readFileSync(join(__dirname, '../docs/schemas/sstu-export.schema.json'), 'utf8'),
) as object;
const validate = addFormats(new Ajv({ allErrors: true, strict: true, strictRequired: false })).compile(
  schema,
);

interface SstuQuestion {
  code: string;
  status: string;
  incomingDate: string;
  registrationDate: string;
  responseDate?: string;
  actionsTaken?: boolean;
  isExtend?: boolean;
}
interface SstuRecord {
  isDirect: boolean;
  number: string;
  createDate?: string;
  registrationNumber: string;
  incomingDate: string;
  registrationDate: string;
  name: string;
  questions: SstuQuestion[];
}
interface SstuFile {
  appeals: SstuRecord[];
  problems: { registrationNumber: string; problem: string }[];
}

const PERSON = { name: 'Кузьмина Ольга Петровна', address: 'п. Елань, ул. Садовая, 1' };
const REGION = {
  type: 'regional_administration' as const,
  name: 'Администрация Кемеровской области',
  reference: '01-25/4567',
  date: '2018-11-28',
};

describe('GET /reports/sstu: a duplicate is reported with its original’s results', () => {
  let t: TestEngine;
  let who: Actors;
  let dir: string;
  let position = 0;
  let original: AppealSummary;
  let copy: AppealSummary;
  let rejected: AppealSummary;

  const track = (summary: AppealSummary): AppealSummary => {
    position = Math.max(position, summary.position);
    return summary;
  };
  type Related = AppealSummary & { joinedTo?: string | null };
  const relate = async (id: string, verb: 'confirm' | 'reject', body: object): Promise<Related> => {
    const res = await http<Related>(t.url, 'POST', `/appeals/${id}/related/${verb}`, {
      token: who.registrar,
      body,
    });
    expect(res.status).toBe(200);
    return track(res.body);
  };
  const month = async (m: string): Promise<SstuFile> => {
    const res = await http<SstuFile>(t.url, 'GET', `/reports/sstu?month=${m}&minPosition=${position}`, {
      token: who.controller,
    });
    expect(res.status).toBe(200);
    expect(validate(res.body)).toBe(true);
    return res.body;
  };
  const recordOf = (file: SstuFile, appeal: AppealSummary): SstuRecord | undefined =>
    file.appeals.find((r) => r.registrationNumber === appeal.number);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sstu-dup-e2e-'));
    t = await startTestEngine({ env: { SSTU_DEPARTMENT_ID: OWN_ID } });
    who = actors(t);
    const admin = who.admin;
    const questions = [{ code: HOUSING }, { code: ROADS }];

    // the original, received directly on 26 November
    original = track(
      await registered(
        t,
        who.registrar,
        registration({
          receivedAt: '2018-11-26',
          registeredAt: '2018-11-26',
          applicants: [PERSON],
          questions,
        }),
      ),
    );
    // the same letter again, sent down by the region, registered on 30 November
    copy = track(
      await registered(
        t,
        who.registrar,
        registration({
          receivedAt: '2018-11-30',
          registeredAt: '2018-11-30',
          applicants: [PERSON],
          questions,
          source: REGION,
        }),
      ),
    );
    // a third copy: proposed as a duplicate, confirmed, then rejected (not a copy after all)
    rejected = track(
      await registered(
        t,
        who.registrar,
        registration({
          receivedAt: '2018-12-04',
          registeredAt: '2018-12-04',
          applicants: [PERSON],
          questions,
        }),
      ),
    );
    const joined = await relate(copy.id, 'confirm', {
      relatedAppealId: original.id,
      kind: 'duplicate',
      decidedAt: '2018-12-03',
    });
    expect(joined).toMatchObject({ joinedTo: original.id });
    await relate(rejected.id, 'confirm', {
      relatedAppealId: original.id,
      kind: 'duplicate',
      decidedAt: '2018-12-05',
    });
    const undone = await relate(rejected.id, 'reject', {
      relatedAppealId: original.id,
      kind: 'duplicate',
      decidedAt: '2018-12-06',
    });
    expect(undone.joinedTo ?? null).toBeNull();

    track(
      await done(
        command(t, admin, original.id, 'assignment', assignBody(undefined, undefined, '2018-11-27')),
      ),
    );
    track(
      await done(
        command(t, admin, original.id, 'final-answer', {
          sentAt: '2018-12-20',
          summary: 'ответ по существу',
          results: [
            { questionCode: HOUSING, result: 'supported', measuresTaken: true },
            { questionCode: ROADS, result: 'not_supported' },
          ],
        }),
      ),
    );
  });

  afterAll(async () => {
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('in November, before the join, the copy is reported with its own status', async () => {
    const nov = await month('2018-11');
    expect(recordOf(nov, copy)?.questions.map((q) => q.status)).toEqual(['InWork', 'InWork']);
  });

  it('in December: its own record and source, the original’s result for each question', async () => {
    const dec = await month('2018-12');
    expect(dec.problems).toEqual([]);
    const own = recordOf(dec, original);
    const dup = recordOf(dec, copy);
    expect(dup).toMatchObject({
      isDirect: false,
      number: REGION.reference,
      createDate: REGION.date,
      registrationNumber: copy.number,
      incomingDate: '2018-11-30',
      registrationDate: '2018-11-30',
      name: PERSON.name,
    });
    expect(dup?.questions).toEqual([
      {
        code: HOUSING,
        status: 'Supported',
        actionsTaken: true,
        responseDate: '2018-12-20',
        incomingDate: '2018-11-30',
        registrationDate: '2018-11-30',
      },
      {
        code: ROADS,
        status: 'NotSupported',
        responseDate: '2018-12-20',
        incomingDate: '2018-11-30',
        registrationDate: '2018-11-30',
      },
    ]);
    expect(own?.questions.map((q) => [q.status, q.responseDate])).toEqual(
      dup?.questions.map((q) => [q.status, q.responseDate]),
    );
    // the copy whose relation was rejected is its own appeal again: still in work
    expect(recordOf(dec, rejected)?.questions.map((q) => q.status)).toEqual(['InWork', 'InWork']);
  });

  it('a rebuild of the ССТУ read model gives the same December file', async () => {
    const before = await month('2018-12');
    const rebuild = await http<{ events: number }>(t.url, 'POST', '/admin/projections/sstu/rebuild', {
      token: who.admin,
    });
    expect(rebuild.status).toBe(200);
    expect(rebuild.body.events).toBeGreaterThan(0);
    const after = await month('2018-12');
    expect(after.appeals).toEqual(before.appeals);
    expect(after.problems).toEqual(before.problems);
  });
});
