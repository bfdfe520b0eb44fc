import type { RelatedAppeal } from '../../../../api/src/applicant-matching/related-appeals';
import { cardActions } from './card-actions';
import { terminationFields, terminationNote } from './correspondence-termination';

const flat = (markup: { toString(): string } | string): string =>
  String(markup)
    .replace(/\s+/g, ' ')
    .replace(/\s*\/?>\s*/g, '>')
    .replace(/\s+</g, '<');

const earlier = (appealId: string, number: string, resolvedOn: string | null): RelatedAppeal => ({
  appealId,
  number,
  state: resolvedOn ? 'final_answered' : 'assigned',
  receivedOn: '2018-03-01',
  registeredOn: '2018-03-01',
  dueDate: '2018-03-30',
  resolvedOn,
  questionCodes: ['0005.0005.0056.1149'],
  matchedBy: ['name', 'address'],
  sameQuestion: 'code',
  proposed: 'repeat',
  decision: null,
});

describe('terminating correspondence on the card (art. 11 ч.5)', () => {
  it('is offered to controllers and admins only, when the state allows it', () => {
    const allowed = ['terminate_correspondence'] as const;
    expect(cardActions([...allowed], { id: 'k', roles: ['controller'] }, null)).toEqual([
      'terminate_correspondence',
    ]);
    for (const role of ['registrar', 'executor', 'supervisor'])
      expect(cardActions([...allowed], { id: 'x', roles: [role] }, null)).toEqual([]);
    expect(cardActions([], { id: 'k', roles: ['controller'] }, null)).toEqual([]);
  });

  it('offers the answered related appeals, the first two chosen; without them asks for ids', () => {
    const form = flat(
      terminationFields(
        [
          earlier('a-2', 'П/2', '2018-04-20'),
          earlier('a-3', 'П/3', null),
          earlier('a-1', 'П/1', '2018-03-28'),
        ],
        '2018-05-20',
      ),
    );
    expect(form).toContain('<option value="a-2" selected>№ П/2 от 01.03.2018, ответ 20.04.2018</option>');
    expect(form).toContain('<option value="a-1">№ П/1 от 01.03.2018, ответ 28.03.2018</option>');
    expect(form).not.toContain('value="a-3"');
    expect(form.match(/name="earlierAppealIds\.\d"/g)).toEqual([
      'name="earlierAppealIds.0"',
      'name="earlierAppealIds.1"',
      'name="earlierAppealIds.2"',
    ]);
    expect(form).toContain('name="decidedAt" type="date" value="2018-05-20"');
    const typed = flat(terminationFields(undefined, '2018-05-20'));
    expect(typed).toContain('>Прежнее обращение 1: идентификатор</label>');
  });

  it('notes the decision recorded on the appeal, or the flag of a later one', () => {
    const own = flat(
      terminationNote(
        {
          decidedBy: { name: 'Петров П.П.', position: 'глава района' },
          decidedAt: '2018-05-20T10:00:00+07:00',
          questionCodes: ['0005.0005.0056.1149'],
          earlierAppealIds: ['a-1', 'a-2'],
          noticeSentAt: null,
        },
        null,
        'Asia/Novokuznetsk',
      ),
    );
    expect(own).toContain('прекращена решением от 20.05.2018');
    expect(own).toContain('Уведомление заявителя не записано.');
    const flag = flat(
      terminationNote(
        null,
        {
          terminationAppealId: 'a-9',
          decidedAt: '2018-05-20T10:00:00+07:00',
          questionCodes: ['0005.0005.0056.1149'],
        },
        'Asia/Novokuznetsk',
      ),
    );
    expect(flag).toContain('<a href="/appeals/a-9">обращение</a>');
    expect(flag).toContain('можно оставить без ответа по этому основанию');
    expect(terminationNote(null, null, 'Asia/Novokuznetsk')).toBe('');
    // a reader who may not read the terminating appeal is told of the decision, without its appeal
    const unnamed = flat(
      terminationNote(
        null,
        { decidedAt: '2018-05-20T10:00:00+07:00', questionCodes: ['0005.0005.0056.1149'] },
        'Asia/Novokuznetsk',
      ),
    );
    expect(unnamed).toContain('прекращена решением от 20.05.2018');
    expect(unnamed).toContain('(ч. 5 ст. 11 59-ФЗ)');
    expect(unnamed).not.toContain('<a ');
  });
});
