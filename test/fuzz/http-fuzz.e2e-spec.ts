/**
 * The fuzz suite's short budget inside `npm test`: a few hundred generated requests over real HTTP
 * against every command and query (valid ones too, on appeals in every state), checked for no 5xx,
 * problem+json refusals, small errors and refusals that change nothing. The long run is
 * `npm run fuzz -- --runs 100000` (docs/fuzzing.md). FUZZ_RUNS / FUZZ_SEED change the budget here.
 */
import { FuzzSession, formatReport, type FuzzReport } from './fuzz-session';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);

describe(`fuzz: ${RUNS} generated requests (seed ${SEED})`, () => {
  let session: FuzzSession;
  let report: FuzzReport;

  beforeAll(async () => {
    session = await FuzzSession.start({ poolPerState: 2 });
    report = await session.run({ runs: RUNS, seed: SEED });
  }, 600_000);
  afterAll(() => session?.stop());

  it('ran valid commands and every kind of refusal', () => {
    // A fuzz run that only ever hits one error path proves little: the generated requests reach the
    // write paths and the main refusals.
    expect(report.requests).toBe(RUNS);
    expect(report.acceptedWrites).toBeGreaterThan(RUNS / 20);
    for (const status of ['200', '201', '400', '401', '403', '404', '409'])
      expect({ status, seen: (report.byStatus[status] ?? 0) > 0 }).toEqual({ status, seen: true });
  });

  it('no 5xx, every refusal problem+json and small, no refused request changed the store', () => {
    const text = formatReport(report);
    // On failure the message holds the seed and one example request per distinct failure.
    expect(report.distinct.length === 0 ? 'no failures' : text).toBe('no failures');
  });
});
