import { cardActions } from './card-actions';
import { entriesWord, renderCard, type CardView } from './card.page';

/** markup with whitespace runs folded, so assertions do not depend on formatting */
const flat = (markup: string): string =>
  markup
    .replace(/\s+/g, ' ')
    .replace(/\s*\/?>\s*/g, '>')
    .replace(/\s+</g, '<');

const appeal: CardView['appeal'] = {
  id: '0b9f6c1e-0000-4000-8000-000000000001',
  number: 'П/1',
  state: 'assigned',
  channel: 'written',
  kind: 'complaint',
  source: { type: 'direct' },
  receivedAt: '2018-03-05',
  registeredAt: '2018-03-06',
  dueDate: '2018-04-05',
  extended: false,
  totalExtensionDays: 0,
  onControl: true,
  executor: { id: 'sidorov', name: 'Сидоров С.С.' },
  department: 'Отдел ЖКХ',
  questions: [
    { code: '0005.0005.0056.1149', result: 'in_work' },
    { code: '0003.0009.0099.0742', result: 'in_work' },
  ],
  applicants: [{ name: 'Петров П.П.', address: 'п. Елань <ул. Ленина>' }],
  repeat: false,
  collective: false,
  anonymous: false,
  interimAnswers: 0,
  finalAnswerSentAt: null,
  late: null,
  closedReason: null,
  revision: 3,
};

const view = (over: Partial<CardView> = {}): string =>
  flat(
    renderCard({
      appeal,
      daysLeft: 5,
      questionTitles: new Map([['0005.0005.0056.1149', 'Отопление']]),
      actions: ['extend_deadline', 'send_final_answer'],
      executors: [{ id: 'sidorov', name: 'Сидоров С.С.', department: 'Отдел ЖКХ' }],
      history: [],
      asOf: null,
      today: '2018-03-20',
      timeZone: 'Asia/Novokuznetsk',
      ...over,
    }).toString(),
  );

describe('the appeal card', () => {
  it('shows the summary in words, escapes personal data, and one button and form per allowed action', () => {
    const page = view();
    expect(page).toContain('Обращение №<span data-appeal-number>П/1</span>');
    expect(page).toContain('Назначен исполнитель');
    expect(page).toContain('05.04.2018');
    expect(page).toContain('5 раб. дн.');
    expect(page).toContain('п. Елань &lt;ул. Ленина&gt;');
    expect(page).toContain('>Продлить срок</button>');
    expect(page).toContain('>Окончательный ответ</button>');
    expect(page).not.toContain('>Назначить исполнителя</button>');
    expect(page).toContain(
      'data-action="/appeals/0b9f6c1e-0000-4000-8000-000000000001/final-answer" data-if-match="3"',
    );
    // one «Результат» per question, with the code sent along, and «Меры приняты»
    expect(page.match(/>Результат<\/label>/g)).toHaveLength(2);
    expect(page).toContain('name="results.1.questionCode" value="0003.0009.0099.0742"');
    expect(page).toContain('>Меры приняты</label>');
    expect(page).toContain('<option value="not_supported">Не поддержано</option>');
    // every form: a date defaulting to today and «Сохранить»
    expect(page).toContain('name="extendedAt" type="date" value="2018-03-20"');
    expect(page.match(/>Сохранить<\/button>/g)).toHaveLength(2);
  });

  it('on an earlier date shows no actions and says which date it is', () => {
    const page = view({ asOf: '2018-03-10' });
    expect(page).toContain('Состояние на 10.03.2018');
    expect(page).not.toContain('>Продлить срок</button>');
  });

  it('on an earlier date lists the history up to it and says how many entries came after', () => {
    const line = {
      revision: 1,
      when: '05.03.2018 10:00',
      recorded: null,
      who: 'Смирнова Е.В.',
      what: 'Обращение зарегистрировано',
      details: [],
    };
    const page = view({ asOf: '2018-03-10', history: [line], laterHistoryEntries: 3 });
    expect(page).toContain('История по 10.03.2018');
    expect(page).toContain(
      'Показаны события по 10.03.2018 включительно; после выбранной даты — ещё 3 записи',
    );
    expect(page).toContain('Обращение зарегистрировано');
    expect(view({ asOf: '2018-03-10', history: [line], laterHistoryEntries: 0 })).toContain(
      'после выбранной даты событий нет',
    );
    // now: the whole history, no note
    expect(view({ history: [line] })).not.toContain('data-history-cut');
    expect([1, 2, 5, 11, 21, 22].map(entriesWord)).toEqual([
      'запись',
      'записи',
      'записей',
      'записей',
      'запись',
      'записи',
    ]);
  });

  it('hides applicants and history when the role may not see them', () => {
    const page = view({ appeal: { ...appeal, applicants: undefined }, history: null });
    expect(page).not.toContain('Заявители');
    expect(page).not.toContain('>История<');
  });
});

describe('which actions a person sees', () => {
  const allowed = [
    'assign',
    'extend_deadline',
    'send_interim_answer',
    'send_final_answer',
    'forward',
    'withdraw',
  ] as const;
  it('follows the roles of the API and the assigned executor', () => {
    expect(cardActions([...allowed], { id: 'k', roles: ['controller'] }, 'sidorov')).toEqual([
      'assign',
      'extend_deadline',
      'forward',
    ]);
    expect(cardActions([...allowed], { id: 'sidorov', roles: ['executor'] }, 'sidorov')).toEqual([
      'send_interim_answer',
      'send_final_answer',
    ]);
    expect(cardActions([...allowed], { id: 'petrov', roles: ['executor'] }, 'sidorov')).toEqual([]);
    expect(cardActions([...allowed], { id: 'r', roles: ['registrar'] }, null)).toEqual([
      'forward',
      'withdraw',
    ]);
    expect(cardActions(['remove_from_control'], { id: 's', roles: ['supervisor'] }, null)).toEqual([]);
    expect(cardActions([], { id: 'a', roles: ['admin'] }, null)).toEqual(['erase_personal_data']);
  });
});

describe('the appeal card: related appeals (issue 15)', () => {
  const earlier = {
    appealId: '0b9f6c1e-0000-4000-8000-000000000002',
    number: 'Ф/7',
    state: 'final_answered',
    receivedOn: '2018-02-01',
    registeredOn: '2018-02-02',
    dueDate: '2018-03-05',
    resolvedOn: '2018-02-20',
    questionCodes: ['0005.0005.0056.1149'],
    matchedBy: ['name' as const, 'address' as const],
    sameQuestion: 'code' as const,
    proposed: 'repeat' as const,
    decision: null,
  };

  it('lists earlier appeals with state, dates, what matched, the proposal and the decision', () => {
    const page = view({
      related: [
        earlier,
        {
          ...earlier,
          number: 'Ф/8',
          proposed: 'duplicate',
          decision: { status: 'confirmed', kind: 'duplicate', decidedAt: null },
        },
      ],
    });
    expect(page).toContain('Связанные обращения');
    expect(page).toContain(`<a href="/appeals/${earlier.appealId}">Ф/7</a>`);
    expect(page).toContain('02.02.2018');
    expect(page).toContain('ФИО, адрес');
    expect(page).toContain('повторное');
    expect(page).toContain('подтверждено: дубликат');
  });

  it('shows nothing when there are none or the person may not read them', () => {
    expect(view({ related: [] })).not.toContain('Связанные обращения');
    expect(view()).not.toContain('Связанные обращения');
  });
});
