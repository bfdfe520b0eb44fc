// A coarse guard on rehydration cost (measured ~0.2 ms per 10 events, see appeal.decider.ts); the
// bound is ~25× that so a shared, busy machine does not make it flaky. Prints nothing.
import { rehydrate } from './appeal.decider';
import {
  assigned,
  extended,
  finalAnswered,
  interimAnswered,
  reassigned,
  registered,
  reminderIssued,
  returnedForRework,
} from './testing';

it('rehydrates a 10-event stream in well under 5 ms', () => {
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
  for (let i = 0; i < 50; i++) rehydrate(events); // warm-up
  const runs = 200;
  const start = performance.now();
  for (let i = 0; i < runs; i++) rehydrate(events);
  const perRun = (performance.now() - start) / runs;
  expect(rehydrate(events).status).toBe('final_answered');
  expect(perRun).toBeLessThan(5);
});
