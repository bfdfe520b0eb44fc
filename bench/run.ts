/**
 * `npm run bench -- <name> [options]`: runs `bench/<name>.ts` with the options after its name, e.g.
 *
 *   npm run bench -- lifecycle-http --clients 16 --seconds 20
 *   npm run bench -- projections-replay --appeals 100000
 *
 * Without a name it lists the benchmarks. Each one runs in its own process (as when started with
 * ts-node directly), so its CPU and memory figures are its own; docs/benchmarks.md has the figures.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const names = readdirSync(__dirname)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts')
  .map((file) => file.slice(0, -'.ts'.length))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (name === undefined || !names.includes(name)) {
  if (name !== undefined) console.error(`no benchmark "${name}"`);
  console.error(`usage: npm run bench -- <${names.join(' | ')}> [options]`);
  process.exit(name === undefined ? 0 : 2);
}
const result = spawnSync(
  process.execPath,
  [
    require.resolve('ts-node/dist/bin'),
    '--transpile-only',
    '-r',
    'tsconfig-paths/register',
    join(__dirname, `${name}.ts`),
    ...args,
  ],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
