/**
 * Cost of rehydrating an appeal through the XState machine (why the command path caches folds).
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/rehydrate.ts
 */
import { decide, rehydrate } from '@appeal-ledger/appeal';
import { appealRules } from '@appeal-ledger/appeal';
import {
  assigned,
  extended,
  finalAnswered,
  interimAnswered,
  reassigned,
  registered,
  reminderIssued,
  returnedForRework,
} from '../libs/appeal/src/testing';

const events = [
  registered(),
  assigned(),
  reminderIssued(),
  extended(),
  interimAnswered(),
  reassigned(),
  interimAnswered({ sentAt: '2018-03-20T10:00:00+07:00' }),
  finalAnswered(),
  returnedForRework(),
  finalAnswered({ sentAt: '2018-04-01T10:00:00+07:00' }),
];
const rules = appealRules();
for (let i = 0; i < 2000; i++) rehydrate(events); // warm-up
const runs = 20_000;
let start = performance.now();
for (let i = 0; i < runs; i++) rehydrate(events);
const perStream = (performance.now() - start) / runs;
const state = rehydrate(events);
start = performance.now();
for (let i = 0; i < runs; i++)
  decide({ type: 'RemoveFromControl', data: { closedAt: '2018-04-02T10:00:00+07:00' } }, state, rules);
const perDecide = (performance.now() - start) / runs;
process.stdout.write(
  JSON.stringify(
    {
      benchmark: 'rehydrate through XState',
      events: events.length,
      perStreamMs: Number(perStream.toFixed(4)),
      perEventUs: Number(((perStream * 1000) / events.length).toFixed(1)),
      decideUs: Number((perDecide * 1000).toFixed(1)),
    },
    null,
    2,
  ) + '\n',
);
