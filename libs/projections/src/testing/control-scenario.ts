/**
 * Test fixture: appeals around ISO week 2018-W50 (Mon 10 – Sun 16 December 2018), with events that
 * happen after that week (rework, extension, reassignment, removal) appended separately.
 */
import type { AppealRegistered } from '@appeal-ledger/appeal';
import {
  assigned,
  extended,
  finalAnswered,
  forwarded,
  interimAnswered,
  IVANOVA,
  reassigned,
  registered,
  reminderIssued,
  removedFromControl,
  returnedForRework,
  SIDOROV,
  withdrawn,
} from '@appeal-ledger/appeal/testing';
import { EventLog } from './event-log';

export const HOUSING = 'ЖКХ';
export const ROADS = 'Дорожный отдел';

const at = (date: string, time = '10:00'): string => `${date}T${time}:00+07:00`;
const reg = (id: string, on: string, due: string): AppealRegistered =>
  registered({
    appealId: id,
    number: `Д/${id}`,
    registeredAt: on,
    receivedAt: on,
    nominalDueDate: due,
    dueDate: due,
  });
const assign = (department: string, on: string) =>
  assigned({ executor: department === HOUSING ? IVANOVA : SIDOROV, department, assignedAt: at(on) });

/** Events whose business dates are all on or before 2018-12-16. */
export function appendUpToWeek50(log: EventLog): void {
  // w1: overdue at the week's end (due Wed 12th)
  log.append('w1', reg('w1', '2018-11-12', '2018-12-12'), assign(HOUSING, '2018-11-13'));
  log.append(
    'w1',
    reminderIssued({
      reminderId: 'w1-soon',
      kind: 'due_soon',
      dueDate: '2018-12-12',
      businessDate: '2018-12-07',
    }),
  );
  // w2: interim answer, due next week
  log.append(
    'w2',
    reg('w2', '2018-11-20', '2018-12-20'),
    assign(ROADS, '2018-11-21'),
    interimAnswered({ sentAt: at('2018-12-05') }),
  );
  // w3: extended to the 21st, answered on time in the week (returned for rework later)
  log.append(
    'w3',
    reg('w3', '2018-11-01', '2018-11-30'),
    assign(HOUSING, '2018-11-02'),
    extended({
      extendedAt: at('2018-11-25'),
      previousDueDate: '2018-11-30',
      nominalDueDate: '2018-12-21',
      dueDate: '2018-12-21',
      days: 21,
      totalExtensionDays: 21,
    }),
    finalAnswered({ sentAt: at('2018-12-12'), late: false, dueDate: '2018-12-21' }),
  );
  // w4: answered late in the week, removed from control in the week
  log.append(
    'w4',
    reg('w4', '2018-11-05', '2018-12-05'),
    assign(HOUSING, '2018-11-06'),
    finalAnswered({ sentAt: at('2018-12-11'), late: true, dueDate: '2018-12-05' }),
    removedFromControl({ closedAt: at('2018-12-13') }),
  );
  // w5: registered in the week, not assigned yet
  log.append('w5', reg('w5', '2018-12-11', '2019-01-10'));
  log.append(
    'w1',
    reminderIssued({
      reminderId: 'w1-today',
      kind: 'due_today',
      dueDate: '2018-12-12',
      businessDate: '2018-12-12',
    }),
  );
  // w7: housing at the week's end (reassigned later)
  log.append('w7', reg('w7', '2018-11-28', '2018-12-28'), assign(HOUSING, '2018-11-29'));
  // w8: forwarded before the week
  log.append('w8', reg('w8', '2018-12-03', '2019-01-02'), forwarded({ sentAt: at('2018-12-04') }));
  // w9: withdrawn in the week
  log.append(
    'w9',
    reg('w9', '2018-11-15', '2018-12-14'),
    assign(ROADS, '2018-11-16'),
    withdrawn({ withdrawnAt: at('2018-12-14') }),
  );
  log.append(
    'w1',
    reminderIssued({
      reminderId: 'w1-overdue',
      kind: 'overdue',
      dueDate: '2018-12-12',
      businessDate: '2018-12-13',
    }),
  );
}

/** Events of the following week (business dates 17–23 December). */
export function appendWeek51(log: EventLog): void {
  log.append('w3', returnedForRework({ returnedAt: at('2018-12-17') }));
  log.append('w6', reg('w6', '2018-12-17', '2019-01-16'));
  log.append(
    'w1',
    reminderIssued({
      reminderId: 'w1-overdue-2',
      kind: 'overdue',
      dueDate: '2018-12-12',
      businessDate: '2018-12-17',
    }),
  );
  log.append('w1', finalAnswered({ sentAt: at('2018-12-18'), late: true, dueDate: '2018-12-12' }));
  log.append(
    'w2',
    extended({
      extendedAt: at('2018-12-18'),
      previousDueDate: '2018-12-20',
      nominalDueDate: '2019-01-10',
      dueDate: '2019-01-10',
      days: 21,
      totalExtensionDays: 21,
    }),
  );
  log.append(
    'w7',
    reassigned({
      executor: SIDOROV,
      department: ROADS,
      previousExecutor: IVANOVA,
      previousDepartment: HOUSING,
      assignedAt: at('2018-12-18'),
    }),
  );
  log.append('w1', removedFromControl({ closedAt: at('2018-12-19') }));
}
