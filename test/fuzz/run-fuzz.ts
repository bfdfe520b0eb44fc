/**
 * `npm run fuzz -- --runs 100000 [--seed N] [--pool N] [--json file] [--examples N]`: the long fuzz
 * run outside Jest. Starts its own embedded PostgreSQL the way the test run does, prints the figures
 * (requests, statuses, failures, time, req/s) and every distinct failure; exits 1 on a failure.
 */
import { writeFileSync } from 'node:fs';
import globalSetup from '../support/global-setup';
import globalTeardown from '../support/global-teardown';
import { FuzzSession, formatReport } from './fuzz-session';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function count(name: string, fallback: number): number {
  const raw = option(name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new Error(`--${name} must be a whole number, got ${raw}`);
  return Number(raw);
}

async function main(): Promise<number> {
  const runs = count('runs', 10_000);
  const seed = count('seed', Math.floor(Math.random() * 2 ** 31));
  const json = option('json');
  // The test run's own embedded PostgreSQL, started and stopped as Jest's global setup does.
  await globalSetup();
  console.log(`fuzz: ${runs} requests, seed ${seed} (replay with --seed ${seed})`);
  let session: FuzzSession | undefined;
  try {
    session = await FuzzSession.start({ poolPerState: count('pool', 5) });
    const started = performance.now();
    const report = await session.run({
      runs,
      seed,
      progress: (done) => {
        const s = (performance.now() - started) / 1000;
        process.stderr.write(`  ${done} requests, ${s.toFixed(0)} s, ${(done / s).toFixed(0)} req/s\n`);
      },
    });
    console.log(formatReport(report, { examples: count('examples', 60) }));
    if (json) writeFileSync(json, JSON.stringify(report, null, 2));
    return report.failures === 0 ? 0 : 1;
  } catch (error) {
    console.error(error);
    return 2;
  } finally {
    await session?.stop();
    await globalTeardown();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
