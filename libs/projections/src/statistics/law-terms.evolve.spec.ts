/**
 * The read models' side of the law pass (issue 14, items 1, 5, 6): registration after art. 8 ч.2's three
 * days and the electronic route (art. 4 п.1, 547-FZ) in the control row and the statistics facts and
 * counters; old events (no flag) judged by plain calendar days and counting nothing new.
 */
import type { AppealEvent } from '@appeal-ledger/appeal';
import { extended, finalAnswered, legacyRegistered, registered } from '@appeal-ledger/appeal/testing';
import { evolveControl, type ControlAppealRow } from '../control/control.evolve';
import { contributions, evolveFacts, type AppealFactsRow } from './statistics.evolve';

const TZ = 'Asia/Novokuznetsk';

function control(...events: AppealEvent[]): ControlAppealRow | undefined {
  let row: ControlAppealRow | undefined;
  events.forEach((event, i) => {
    row = evolveControl(row, { appealId: 'a-1', position: i + 1, event }, TZ).row;
  });
  return row;
}

function facts(...events: AppealEvent[]): AppealFactsRow {
  let row: AppealFactsRow | undefined;
  events.forEach((event, i) => {
    row = evolveFacts(row, { appealId: 'a-1', position: i + 1, event }, TZ);
  });
  if (!row) throw new Error('no facts');
  return row;
}

// received 2018-02-20, registered 2018-03-01: the third day was 23 February (a holiday) → 26 February
const late = registered({ receivedAt: '2018-02-20', registeredAt: '2018-03-01' });

describe('registered late (59-FZ art. 8 ч.2)', () => {
  it('is on the control row and stays through later events', () => {
    expect(late.data).toMatchObject({ registrationDueDate: '2018-02-26', registeredLate: true });
    expect(control(late)?.registered_late).toBe(true);
    expect(control(late, extended(), finalAnswered())?.registered_late).toBe(true);
    expect(control(registered())?.registered_late).toBe(false);
  });

  it('is counted once in the month of registration', () => {
    expect(contributions(facts(late)).get('registered_late')).toBe(1);
    expect(contributions(facts(registered())).has('registered_late')).toBe(false);
  });

  it('reads an event recorded before the flag by plain calendar days', () => {
    const old = legacyRegistered({ receivedAt: '2018-02-25', registeredAt: '2018-03-01' });
    expect(old.data).not.toHaveProperty('registeredLate');
    expect(control(old)?.registered_late).toBe(true);
    expect(facts(old).registered_late).toBe(true);
    const onTime = legacyRegistered({ receivedAt: '2018-02-26', registeredAt: '2018-03-01' });
    expect(control(onTime)?.registered_late).toBe(false);
  });

  it('leaves the counters of an old on-time appeal exactly as before', () => {
    const old = facts(legacyRegistered());
    expect([...contributions(old).keys()].sort()).toEqual(
      [
        'appeals',
        'form:written',
        'channel:written',
        'source:direct',
        'kind:complaint',
        'questions',
        'q.code:0005.0005.0056.1149',
        'q.code:0003.0009.0099.0742',
        'q.result:in_work',
      ].sort(),
    );
  });
});

describe('electronic route (59-FZ art. 4 п.1 as amended by 547-FZ)', () => {
  it('is a fact and a counter of its own', () => {
    const epgu = facts(
      registered({
        channel: 'electronic',
        form: 'electronic',
        electronicRoute: 'epgu',
        receivedAt: '2025-04-01',
        registeredAt: '2025-04-01',
      }),
    );
    expect(epgu.electronic_route).toBe('epgu');
    expect(contributions(epgu).get('electronic_route:epgu')).toBe(1);
    expect(contributions(epgu).get('channel:electronic')).toBe(1);
    expect(facts(registered()).electronic_route).toBeNull();
  });
});
