import type { RelatedAppeal } from '../../../../../api/src/applicant-matching/related-appeals';
import { cardActions } from '../card-actions';
import { renderCard, type CardView } from '../card.page';
import { mayDecideRelated } from './related-decision';

const flat = (markup: string): string =>
  markup
    .replace(/\s+/g, ' ')
    .replace(/\s*\/?>\s*/g, '>')
    .replace(/\s+</g, '<');

const ID = '0b9f6c1e-0000-4000-8000-000000000001';

const appeal: CardView['appeal'] = {
  id: ID,
  number: 'П/1',
  state: 'final_answered',
  channel: 'written',
  kind: 'complaint',
  source: { type: 'regional_administration', name: 'Администрация области', reportBackBy: '2018-04-10' },
  receivedAt: '2018-03-05',
  registeredAt: '2018-03-06',
  dueDate: '2018-04-05',
  extended: false,
  totalExtensionDays: 0,
  onControl: true,
  executor: { id: 'sidorov', name: 'Сидоров С.С.' },
  department: 'Отдел ЖКХ',
  questions: [{ code: '0005.0005.0056.1149', result: 'supported' }],
  repeat: false,
  collective: false,
  anonymous: false,
  interimAnswers: 0,
  finalAnswerSentAt: '2018-03-20T10:00:00+07:00',
  late: false,
  closedReason: null,
  pendingDocumentRequests: [
    {
      requestId: '5d7c0000-0000-4000-8000-0000000000aa',
      to: 'Росреестр',
      reference: '01-12/7',
      replyDueDate: '2018-03-25',
    },
  ],
  sourceReport: { reportBackBy: '2018-04-10', sentAt: null },
  furtherControl: { until: '2018-06-01', reason: 'ремонт кровли', completedAt: null },
  revision: 7,
};

const render = (actions: CardView['actions'], over: Partial<CardView> = {}): string =>
  flat(
    renderCard({
      appeal,
      daysLeft: null,
      questionTitles: new Map(),
      actions,
      executors: [],
      history: null,
      asOf: null,
      today: '2018-03-21',
      timeZone: 'Asia/Novokuznetsk',
      ...over,
    }).toString(),
  );

describe('the card forms of the control outcomes (issue 14)', () => {
  it('leave without answer: the art. 11 grounds in words, the notice, the link only for a published answer', () => {
    const page = render(['leave_without_answer']);
    expect(page).toContain('>Оставить без ответа</button>');
    expect(page).toContain(`data-action="/appeals/${ID}/without-answer" data-if-match="7"`);
    for (const [ground, words] of [
      ['anonymous', 'анонимное (ч. 1 ст. 11)'],
      ['obscene', 'нецензурные либо оскорбительные выражения (ч. 3 ст. 11)'],
      ['unreadable', 'текст не поддаётся прочтению (ч. 4 ст. 11)'],
      ['unclear_essence', 'не позволяет определить суть (ч. 4.1 ст. 11)'],
      ['state_secret', 'охраняемая законом тайна (ч. 6 ст. 11)'],
      ['answer_published', 'ответ размещён на официальном сайте (ч. 5.1 ст. 11)'],
      ['court_decision', 'обжалуется судебное решение (ч. 2 ст. 11)'],
    ])
      expect(page).toContain(`<option value="${ground}">${words}</option>`);
    expect(page).toContain('name="decidedAt" type="date" value="2018-03-21"');
    expect(page).toContain('name="notice.text"');
    expect(page).toContain('name="notice.sentAt" type="date" value=""');
    expect(page).toContain('<div data-show-when="ground=answer_published">');
    expect(page).toContain('name="link" type="url"');
  });

  it('document requests: the request (15 days) and the reply to a pending one, its id in the path', () => {
    const page = render(['request_documents', 'record_documents_reply']);
    expect(page).toContain(`data-action="/appeals/${ID}/document-requests"`);
    expect(page).toContain('name="to" type="text" value="" required');
    expect(page).toContain('name="sentAt" type="date" value="2018-03-21" required');
    expect(page).toContain(`data-action="/appeals/${ID}/document-requests/{requestId}/reply"`);
    expect(page).toContain(
      '<option value="5d7c0000-0000-4000-8000-0000000000aa">Росреестр, исх. № 01-12/7, ответ до 25.03.2018</option>',
    );
    expect(page).toContain('name="requestId" data-in-path required');
    expect(page).toContain('name="receivedAt" type="date" value="2018-03-21" required');
  });

  it('report to the sending body, further control and measures completed', () => {
    const page = render(['report_to_source', 'set_further_control', 'complete_measures']);
    expect(page).toContain(`data-action="/appeals/${ID}/report-to-source"`);
    expect(page).toContain('просил сообщить результат до 10.04.2018');
    expect(page).toContain('name="reference" type="text" value="" required');
    expect(page).toContain(`data-action="/appeals/${ID}/further-control"`);
    expect(page).toContain('name="until" type="date" value="" required');
    expect(page).toContain('name="reason"');
    expect(page).toContain(`data-action="/appeals/${ID}/measures-completed"`);
    expect(page).toContain('На дополнительном контроле до 01.06.2018: ремонт кровли');
    expect(page).toContain('name="completedAt" type="date" value="2018-03-21"');
    // and «Сведения» say what is owed and what is on control
    expect(page).toContain(
      '<dt>Результат направившему органу</dt><dd>сообщить до 10.04.2018, не сообщён</dd>',
    );
    expect(page).toContain('<dt>Дополнительный контроль</dt><dd>до 01.06.2018: ремонт кровли</dd>');
  });

  it('shows the forms to the roles of the API routes, and the reply only while a request awaits it', () => {
    const all = [
      'request_documents',
      'record_documents_reply',
      'leave_without_answer',
      'report_to_source',
      'set_further_control',
      'complete_measures',
    ] as const;
    const pending = { pendingDocumentRequests: 1 };
    expect(cardActions(all, { id: 'r', roles: ['registrar'] }, null, pending)).toEqual([
      'leave_without_answer',
      'report_to_source',
    ]);
    expect(cardActions(all, { id: 'sidorov', roles: ['executor'] }, 'sidorov', pending)).toEqual([
      'request_documents',
      'record_documents_reply',
    ]);
    expect(cardActions(all, { id: 'k', roles: ['controller'] }, null, pending)).toEqual([...all]);
    expect(cardActions(all, { id: 'k', roles: ['controller'] }, null)).not.toContain(
      'record_documents_reply',
    );
    expect(cardActions(all, { id: 'o', roles: ['supervisor'] }, null, pending)).toEqual([]);
  });
});

describe('«Связанные обращения» decisions on the card', () => {
  const related = (over: Partial<RelatedAppeal>): RelatedAppeal => ({
    appealId: '0b9f6c1e-0000-4000-8000-000000000002',
    number: 'П/0',
    state: 'closed',
    receivedOn: '2018-01-10',
    registeredOn: '2018-01-10',
    dueDate: '2018-02-09',
    resolvedOn: '2018-02-01',
    questionCodes: ['0005.0005.0056.1149'],
    matchedBy: ['name', 'address'],
    sameQuestion: 'code',
    proposed: 'repeat',
    decision: null,
    ...over,
  });

  it('offers «Подтвердить» and «Отклонить» for an undecided one, the undo for a decided one', () => {
    const page = render([], {
      related: [
        related({}),
        related({
          appealId: '0b9f6c1e-0000-4000-8000-000000000003',
          number: 'П/00',
          decision: { status: 'confirmed', kind: 'repeat', decidedAt: null },
        }),
      ],
      relatedDecisions: { appealId: ID, revision: 7 },
    });
    expect(page).toContain(`data-action="/appeals/${ID}/related/confirm" data-if-match="7"`);
    expect(page).toContain('name="relatedAppealId" value="0b9f6c1e-0000-4000-8000-000000000002"');
    expect(page).toContain('name="kind" value="repeat"');
    expect(page).toContain('aria-label="Подтвердить: повторное к № П/0"');
    expect(page).toContain('aria-label="Отклонить: повторное к № П/0"');
    expect(page).not.toContain('aria-label="Подтвердить: повторное к № П/00"');
    expect(page).toContain('aria-label="Отклонить: повторное к № П/00"');
  });

  it('has no buttons without the right to decide', () => {
    expect(render([], { related: [related({})] })).not.toContain('related/confirm');
    expect(mayDecideRelated(['supervisor'], ['confirm_related', 'reject_related'])).toBe(false);
    expect(mayDecideRelated(['registrar'], ['confirm_related', 'reject_related'])).toBe(true);
    expect(mayDecideRelated(['registrar'], [])).toBe(false);
  });
});

describe('«Дополнительные материалы» (59-FZ art. 5 п.1): a form declared with its words', () => {
  it('posts description, sheets and the date to /applicant-materials with If-Match', () => {
    const page = render(['record_applicant_materials'], {
      appeal: { ...appeal, state: 'assigned', finalAnswerSentAt: null },
    });
    expect(page).toContain('data-open-form="record_applicant_materials"');
    expect(page).toContain('>Дополнительные материалы</button>');
    expect(page).toContain(`data-action="/appeals/${ID}/applicant-materials" data-if-match="7"`);
    expect(page).toContain('<label for="f-description">Что представил заявитель</label>');
    expect(page).toContain('name="description" rows="3" required');
    expect(page).toContain(
      'name="pages" type="number" inputmode="numeric" min="1" max="10000" data-type="number"',
    );
    expect(page).toContain('name="receivedAt" type="date" value="2018-03-21" required');
    expect(page).toContain('Приобщаются к обращению (п. 1 ст. 5 59-ФЗ).');
  });

  it('is offered to the registrar, the controller, the admin and the assigned executor only', () => {
    const allowed = ['record_applicant_materials'] as const;
    for (const roles of [['registrar'], ['controller'], ['admin']])
      expect(cardActions(allowed, { id: 'x', roles }, 'sidorov')).toContain('record_applicant_materials');
    expect(cardActions(allowed, { id: 'sidorov', roles: ['executor'] }, 'sidorov')).toEqual([
      'record_applicant_materials',
    ]);
    // another executor (a co-executor reads the appeal) is not offered it; the supervisor only reads
    expect(cardActions(allowed, { id: 'petrov', roles: ['executor'] }, 'sidorov')).toEqual([]);
    expect(cardActions(allowed, { id: 'o', roles: ['supervisor'] }, 'sidorov')).toEqual([]);
    expect(cardActions([], { id: 'k', roles: ['controller'] }, 'sidorov')).toEqual([]);
  });
});
