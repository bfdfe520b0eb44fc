/** «Журнал» (/appeals): the journal page, and its CSV (`?format=csv`, the same filters, up to 5,000 rows). */
import { Get, Query, Req, Res } from '@nestjs/common';
import { CSV_CONTENT_TYPE, MAX_JOURNAL_EXPORT_LIMIT, toCsv } from '@appeal-ledger/projections';
import { Roles } from '../../../api/src/auth/auth.decorators';
import type { HttpReply } from '../../../api/src/http/http-types';
import { Problem } from '../../../api/src/http/problem';
import { pageMinPosition } from './shared/read-your-writes';
import type { Html } from '../shell/html';
import { rolesOf } from '../shell/nav';
import { PageController, Shell, type PageRequest } from '../shell/page';
import { JournalPageQuery, type JournalData } from './journal/journal-page.query';
import {
  JOURNAL_FLAG_FILTERS,
  journalCsvRows,
  renderJournal,
  type JournalQuery,
} from './journal/journal.page';
import { filterRefusalWords, flagQueryOf } from './shared/flag-filters';
import { ExecutorDirectory } from './shared/executor-directory';

const CSV_ROWS = MAX_JOURNAL_EXPORT_LIMIT;

/** A 400 of the read query shown on the page in words, instead of an error page */
function problemText(error: unknown): string | null {
  if (!(error instanceof Problem) || error.getStatus() !== 400) return null;
  const errors = (error.extensions.errors as { field: string; message: string }[] | undefined) ?? [];
  return filterRefusalWords(errors, error.detail);
}

@PageController('/appeals')
export class JournalPage {
  constructor(
    private readonly shell: Shell,
    private readonly journal: JournalPageQuery,
    private readonly executors: ExecutorDirectory,
  ) {}

  @Get()
  @Roles(...rolesOf('/appeals'))
  async show(
    @Req() req: PageRequest,
    @Res({ passthrough: true }) reply: HttpReply,
    @Query() params: Record<string, string | undefined>,
  ): Promise<Html | Buffer> {
    const principal = req.principal;
    if (!principal) throw Problem.unauthorized('sign in');
    const query: JournalQuery = {
      state: params.state,
      department: params.department,
      executorId: params.executorId,
      channel: params.channel,
      questionCode: params.questionCode,
      territory: params.territory,
      from: params.from,
      to: params.to,
      number: params.number,
      ...flagQueryOf(JOURNAL_FLAG_FILTERS, params),
      cursor: params.cursor,
    };
    const minPosition = pageMinPosition(req, params.minPosition);
    if (params.format === 'csv') {
      const data = await this.journal.read({ ...query, cursor: undefined }, principal, {
        minPosition,
        limit: CSV_ROWS,
        forExport: true,
      });
      void reply.type(CSV_CONTENT_TYPE).header('Content-Disposition', 'attachment; filename="journal.csv"');
      return toCsv(journalCsvRows(data.rows, data.applicants));
    }
    let data: JournalData = { rows: [], nextCursor: null, applicants: null };
    let error: string | undefined;
    try {
      data = await this.journal.read(query, principal, { minPosition });
    } catch (caught) {
      const text = problemText(caught);
      if (text === null) throw caught;
      error = text;
      // the page still shows the filter form and the words; the status says the query was refused
      void reply.status(400);
    }
    const body = renderJournal({
      rows: data.rows,
      nextCursor: data.nextCursor,
      query,
      applicants: data.applicants,
      executors: await this.executors.options(),
      ...(error !== undefined ? { error } : {}),
    });
    return this.shell.page(req, { title: 'Журнал', body, ownHeading: true });
  }
}
