import { cardActions } from '../card-actions';
import { coExecutorsNote, contributionFields, resolutionFields, resolutionSection } from './co-executors';

describe('the card: resolution and co-executors (issue 14)', () => {
  const allowed = ['record_resolution', 'contribute', 'send_final_answer'] as const;

  it('offers «Резолюция» to the controller and «Доклад соисполнителя» only to a co-executor or the admin', () => {
    expect(
      cardActions([...allowed], { id: 'k', roles: ['controller'] }, 'sidorov', {
        pendingDocumentRequests: 0,
        coExecutorIds: ['petrov'],
      }),
    ).toEqual(['record_resolution']);
    expect(
      cardActions([...allowed], { id: 'petrov', roles: ['executor'] }, 'sidorov', {
        pendingDocumentRequests: 0,
        coExecutorIds: ['petrov'],
      }),
    ).toEqual(['contribute']);
    expect(
      cardActions([...allowed], { id: 'sidorov', roles: ['executor'] }, 'sidorov', {
        pendingDocumentRequests: 0,
        coExecutorIds: ['petrov'],
      }),
    ).toEqual(['send_final_answer']);
    expect(
      cardActions([...allowed], { id: 'stranger', roles: ['executor'] }, 'sidorov', {
        pendingDocumentRequests: 0,
        coExecutorIds: ['petrov'],
      }),
    ).toEqual([]);
    expect(
      cardActions([...allowed], { id: 'a', roles: ['admin'] }, 'sidorov', {
        pendingDocumentRequests: 0,
        coExecutorIds: ['petrov'],
      }),
    ).toEqual(['send_final_answer', 'record_resolution', 'contribute', 'erase_personal_data']);
  });

  it('the forms name their fields as the API does', () => {
    const fields = String(
      resolutionFields(
        [{ id: 'petrov', name: 'Петров П.П.', department: 'Дорожный отдел' }],
        '2025-03-04',
        'Отдел ЖКХ',
      ),
    );
    for (const name of [
      'author.name',
      'author.position',
      'text',
      'decidedAt',
      'responsible',
      'responsible.department',
      'internalDueDate',
      'coExecutors.0',
      'coExecutors.0.department',
      'coExecutors.0.dueDate',
      'coExecutors.2',
    ])
      expect(fields).toContain(`name="${name}"`);
    expect(fields).toContain('data-error-for="coExecutors.0.id"');
    expect(String(contributionFields('2025-03-12'))).toMatch(
      /name="sentAt"\s+type="date"\s+value="2025-03-12"/,
    );
  });

  it('shows the resolution in force and whether each part was sent; nothing without one', () => {
    expect(resolutionSection({ dueDate: '2025-04-02' }, 'Asia/Novokuznetsk')).toBe('');
    const section = String(
      resolutionSection(
        {
          dueDate: '2025-04-02',
          resolution: {
            author: { name: 'Кузнецов К.К.', position: 'глава района' },
            decidedAt: '2025-03-04T10:00:00+07:00',
            responsible: { id: 'sidorov', name: 'Сидоров С.С.', department: 'Отдел ЖКХ' },
            internalDueDate: null,
          },
          coExecutors: [
            {
              id: 'petrov',
              name: 'Петров П.П.',
              department: 'Дорожный отдел',
              dueDate: '2025-03-20',
              contributedAt: '2025-03-12T10:00:00+07:00',
              contributions: 1,
            },
            {
              id: 'lebedeva',
              name: 'Лебедева Л.Л.',
              department: 'Правовой отдел',
              dueDate: null,
              contributedAt: null,
              contributions: 0,
            },
          ],
        },
        'Asia/Novokuznetsk',
      ),
    );
    expect(section).toContain('Ответственный исполнитель: Сидоров С.С., Отдел ЖКХ');
    expect(section).toContain('представлен 12.03.2025');
    expect(section).toContain('02.04.2025');
    expect(section).toContain('не представлен');
  });

  it('«Контроль» notes the co-executors under the executor, nothing without them', () => {
    expect(coExecutorsNote([])).toBe('');
    expect(
      String(
        coExecutorsNote([
          { name: 'Петров П.П.', contributed: true },
          { name: 'Лебедева Л.Л.', contributed: false },
        ]),
      ),
    ).toMatch(/соисполнители: Петров П\.П\. \(доклад представлен\), Лебедева Л\.Л\. \(доклада нет\)/);
  });
});
