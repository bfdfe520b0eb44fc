import type { Principal, Role } from '../auth/principal';
import { sstuRefusalFor, SSTU_REFUSAL } from '../reports/get-sstu-export/get-sstu-export.service';
import { summaryRefusalFor, SUMMARY_REFUSAL } from '../reports/get-summary-report/get-summary-report.service';
import { reminderScopeFor } from '../reminders/reminder-readers.policy';
import type { AppealRepository, LoadedAppeal } from '../appeals/appeal.repository';
import { GetAppeal, NOT_YOURS } from '../appeals/get-appeal/get-appeal.service';

const ID = '0b9f5a0e-6b1e-4d8c-9a57-5b1f3c2d7e10';
const principal = (roles: Role[], department?: string): Principal => ({
  id: 'u1',
  name: 'Иванова И.И.',
  roles,
  ...(department !== undefined && { department }),
});

/** An appeal of `department`, assigned to nobody: only the fields the access policy looks at. */
const appeal = (department: string, revision = 3): LoadedAppeal =>
  ({
    state: { status: 'assigned', context: { department, executor: null } },
    revision,
    lastUserRevision: revision,
    position: 10,
    sealedApplicants: [],
  }) as unknown as LoadedAppeal;

function repository(now: LoadedAppeal | undefined, then?: LoadedAppeal): AppealRepository {
  return {
    load: () => Promise.resolve(now),
    loadAsOf: () => Promise.resolve(then),
  } as unknown as AppealRepository;
}

describe('GetAppeal: refusals are values', () => {
  it('an unknown appeal is not_found', async () => {
    await expect(
      new GetAppeal(repository(undefined)).read({ appealId: ID, principal: principal(['admin']) }),
    ).resolves.toEqual({ ok: false, reason: 'not_found', message: `appeal ${ID} not found` });
  });

  it("another department's appeal is forbidden, naming nothing about it", async () => {
    await expect(
      new GetAppeal(repository(appeal('Отдел А'))).read({
        appealId: ID,
        principal: principal(['controller'], 'Отдел Б'),
      }),
    ).resolves.toEqual({ ok: false, reason: 'forbidden', message: NOT_YOURS });
  });

  it('before its registration (asOf) it is not_found; after, the past state carries the assignment now', async () => {
    const now = appeal('Отдел А', 5);
    const asOfMs = Date.parse('2018-03-20T00:00:00Z');
    await expect(
      new GetAppeal(repository(now)).read({ appealId: ID, asOfMs, principal: principal(['admin']) }),
    ).resolves.toEqual({
      ok: false,
      reason: 'not_found',
      message: `appeal ${ID} was not registered yet at 2018-03-20T00:00:00.000Z`,
    });
    const then = appeal('Отдел Б', 2);
    const read = await new GetAppeal(repository(now, then)).read({
      appealId: ID,
      asOfMs,
      principal: principal(['controller'], 'Отдел А'),
    });
    expect(read).toEqual({
      ok: true,
      value: { ...then, current: { department: 'Отдел А', executorId: null } },
    });
  });
});

describe('the reads asked before anything else', () => {
  it("a department's controller may not read the summary nor send the ССТУ export; a controller without one may", () => {
    const departmental = principal(['controller'], 'Отдел А');
    expect(summaryRefusalFor(departmental)).toEqual({
      ok: false,
      reason: 'forbidden',
      message: SUMMARY_REFUSAL,
    });
    expect(sstuRefusalFor(departmental)).toEqual({ ok: false, reason: 'forbidden', message: SSTU_REFUSAL });
    expect(summaryRefusalFor(principal(['controller']))).toBeUndefined();
    expect(sstuRefusalFor(principal(['admin']))).toBeUndefined();
  });

  it('reminders: every one for an admin, a scope for a department, a refusal for a registrar', () => {
    expect(reminderScopeFor(principal(['admin']))).toEqual({ ok: true, value: undefined });
    expect(reminderScopeFor(principal(['controller'], 'Отдел А'))).toMatchObject({
      ok: true,
      value: { department: 'Отдел А' },
    });
    expect(reminderScopeFor(principal(['registrar']))).toEqual({
      ok: false,
      reason: 'forbidden',
      message: 'you may not read reminders',
    });
  });
});
