/**
 * Test and benchmark helper: a deterministic stream of realistic appeal lifecycles, generated day by
 * day in business-time order (appeals interleave as they would in a real store). Memory stays flat:
 * only the events scheduled for the coming weeks are held.
 */
import type {
  AppealEvent,
  Channel,
  Executor,
  IsoDate,
  OfficialRole,
  SourceType,
  WorkingDayCalendar,
} from '@appeal-ledger/appeal';
import { addDays, computeTerm, ProductionCalendar } from '@appeal-ledger/appeal';
import { deterministicEventId } from '../shared/event-store';

export interface SyntheticAppealEvent {
  appealId: string;
  event: AppealEvent;
}

export interface SyntheticOptions {
  appeals: number;
  /** first registration day (default 2017-01-09) */
  startDate?: IsoDate;
  /** registrations per calendar day (default 8: about 2,900 a year, a large district) */
  perDay?: number;
  seed?: number;
  calendar?: WorkingDayCalendar;
}

const CODES = [
  '0005.0005.0056.1149',
  '0005.0005.0056.1160',
  '0005.0005.0056.1153',
  '0005.0005.0055.1122',
  '0005.0005.0055.1130',
  '0003.0009.0099.0742',
  '0003.0009.0099.0740',
  '0003.0009.0097.0689',
  '0003.0009.0097.0680',
  '0003.0009.0096.0660',
  '0003.0008.0080.0500',
  '0003.0011.0120.0800',
  '0002.0007.0070.0400',
  '0002.0007.0071.0410',
  '0002.0013.0140.0900',
  '0002.0014.0141.0950',
  '0002.0004.0040.0200',
  '0001.0002.0027.0001',
  '0001.0003.0030.0100',
  '0004.0016.0160.1000',
];
const DEPARTMENTS = ['ЖКХ', 'Дорожный отдел', 'Отдел архитектуры', 'Социальный отдел', 'Отдел образования'];
const ROLES: OfficialRole[] = ['head', 'deputy', 'deputy', 'department_head', 'specialist'];

/** mulberry32: small, fast, deterministic */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const at = (date: IsoDate, hour: number): string => `${date}T${String(hour).padStart(2, '0')}:00:00+07:00`;

export function* syntheticAppealEvents(options: SyntheticOptions): Generator<SyntheticAppealEvent> {
  const random = prng(options.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number): boolean => random() < p;
  const between = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const calendar = options.calendar ?? ProductionCalendar.shipped();
  const perDay = options.perDay ?? 8;
  const scheduled = new Map<IsoDate, SyntheticAppealEvent[]>();
  const schedule = (day: IsoDate, item: SyntheticAppealEvent): void => {
    const list = scheduled.get(day);
    if (list) list.push(item);
    else scheduled.set(day, [item]);
  };

  let registeredCount = 0;
  let day = options.startDate ?? '2017-01-09';
  while (registeredCount < options.appeals || scheduled.size > 0) {
    const todays = Math.min(perDay, options.appeals - registeredCount);
    for (let i = 0; i < todays; i++) {
      registeredCount += 1;
      const appealId = `s-${registeredCount}`;
      const number = `С/${registeredCount}`;
      const channel: Channel = pick([
        'written',
        'written',
        'written',
        'electronic',
        'electronic',
        'electronic',
        'personal_reception',
        'phone',
      ]);
      const form = channel === 'written' ? 'written' : channel === 'electronic' ? 'electronic' : 'oral';
      const source: SourceType = chance(0.8)
        ? 'direct'
        : pick([
            'presidential_administration',
            'regional_administration',
            'regional_administration',
            'other_body',
          ]);
      const questions = Array.from({ length: chance(0.85) ? 1 : between(2, 3) }, () => ({
        code: pick(CODES),
      }));
      const term = computeTerm(day, 30, 'preceding', calendar);
      const emit = (on: IsoDate, event: AppealEvent): void => schedule(on, { appealId, event });
      const anonymous = chance(0.03);
      yield {
        appealId,
        event: {
          type: 'AppealRegistered',
          data: {
            appealId,
            number,
            receivedAt: day,
            registeredAt: day,
            channel,
            form,
            kind: pick(['proposal', 'application', 'application', 'complaint']),
            source: { type: source },
            applicants: [
              {
                applicantId: `p-${registeredCount}`,
                ...(anonymous ? {} : { name: 'Заявитель', address: 'п. Елань' }),
              },
            ],
            questions,
            ...(channel === 'personal_reception' && {
              reception: { officialRole: pick(ROLES), onSite: chance(0.2) },
            }),
            ...(chance(0.07) && { repeatOf: `s-${Math.max(1, registeredCount - between(1, 500))}` }),
            collective: chance(0.05),
            anonymous,
            termDays: 30,
            nonWorkingDayRule: 'preceding',
            nominalDueDate: term.nominalDueDate,
            dueDate: term.dueDate,
          },
        },
      };
      // the rest of its life, scheduled by business date
      if (chance(0.03)) {
        emit(addDays(day, between(1, 6)), {
          type: 'AppealForwardedByCompetence',
          data: { to: 'Прокуратура района', sentAt: at(addDays(day, 3), 11) },
        });
        continue;
      }
      const assignedOn = addDays(day, 1);
      const executor: Executor = { id: `e-${between(1, 40)}`, name: 'Исполнитель' };
      const department = pick(DEPARTMENTS);
      emit(assignedOn, {
        type: 'ExecutorAssigned',
        data: { executor, department, assignedAt: at(assignedOn, 9) },
      });
      if (chance(0.02)) {
        const on = addDays(day, between(2, 20));
        emit(on, { type: 'AppealWithdrawn', data: { withdrawnAt: at(on, 12) } });
        continue;
      }
      // only what the appeal machine accepts: extensions and interim answers come before the final answer
      const answeredOn = addDays(day, chance(0.9) ? between(5, 28) : between(29, 45));
      let due = term.dueDate;
      if (chance(0.08) && addDays(day, 20) < answeredOn) {
        const on = addDays(day, 20);
        const extendedTerm = computeTerm(day, 45, 'preceding', calendar);
        emit(on, {
          type: 'DeadlineExtended',
          data: {
            days: 15,
            reason: 'запрос документов',
            extendedAt: at(on, 10),
            previousDueDate: due,
            nominalDueDate: extendedTerm.nominalDueDate,
            dueDate: extendedTerm.dueDate,
            totalExtensionDays: 15,
          },
        });
        due = extendedTerm.dueDate;
      }
      const interimOn = addDays(day, between(3, 15));
      if (chance(0.6) && interimOn < answeredOn) {
        emit(interimOn, {
          type: 'InterimAnswerSent',
          data: { sentAt: at(interimOn, 14), summary: 'ведётся проверка' },
        });
      }
      const soon = addDays(due, -3);
      if (soon < answeredOn) {
        emit(soon, {
          type: 'DeadlineReminderIssued',
          data: {
            // as the reminder process derives it (libs/reminders, reminderId): a UUID
            reminderId: deterministicEventId('appeal-ledger/reminders', appealId, 'due_soon', due),
            kind: 'due_soon',
            dueDate: due,
            businessDate: soon,
            issuedAt: at(soon, 8),
            department,
            executor,
          },
        });
      }
      const results = questions.map((q) => ({
        questionCode: q.code,
        result: pick(['supported', 'explained', 'explained', 'not_supported', 'answered'] as const),
        measuresTaken: chance(0.3),
      }));
      const final = (on: IsoDate): AppealEvent => ({
        type: 'FinalAnswerSent',
        data: {
          sentAt: at(on, 16),
          summary: 'ответ',
          results,
          onSiteVisit: chance(0.05),
          late: on > due,
          dueDate: due,
        },
      });
      emit(answeredOn, final(answeredOn));
      let closedOn = addDays(answeredOn, 2);
      if (chance(0.03)) {
        const returnedOn = addDays(answeredOn, 1);
        emit(returnedOn, {
          type: 'AnswerReturnedForRework',
          data: { reason: 'не по существу', returnedAt: at(returnedOn, 10) },
        });
        const again = addDays(returnedOn, 4);
        emit(again, final(again));
        closedOn = addDays(again, 2);
      }
      emit(closedOn, { type: 'AppealRemovedFromControl', data: { closedAt: at(closedOn, 17) } });
    }
    const due = scheduled.get(day);
    if (due) {
      scheduled.delete(day);
      yield* due;
    }
    day = addDays(day, 1);
  }
}
