/** «Контроль» (/control): what is on control, grouped by urgency, with counts. */
import { Get, Query, Req, Res } from '@nestjs/common';
import type { HttpReply } from '../../../api/src/http/http-types';
import { Roles } from '../../../api/src/auth/auth.decorators';
import { Problem } from '../../../api/src/http/problem';
import { pageMinPosition } from './shared/read-your-writes';
import type { Html } from '../shell/html';
import { rolesOf } from '../shell/nav';
import { PageController, Shell, type PageRequest } from '../shell/page';
import { ControlBoardQueryService, boardFlags } from './control/control-board.query';
import { CONTROL_FLAG_FILTERS, renderControl, type ControlBoardQuery } from './control/control.page';
import { filterRefusalWords, flagQueryOf } from './shared/flag-filters';
import { ExecutorDirectory } from './shared/executor-directory';

@PageController('/control')
export class ControlPage {
  constructor(
    private readonly shell: Shell,
    private readonly board: ControlBoardQueryService,
    private readonly executors: ExecutorDirectory,
  ) {}

  @Get()
  @Roles(...rolesOf('/control'))
  async show(
    @Req() req: PageRequest,
    @Res({ passthrough: true }) reply: HttpReply,
    @Query() params: Record<string, string | undefined>,
  ): Promise<Html> {
    const principal = req.principal;
    if (!principal) throw Problem.unauthorized('sign in');
    const query: ControlBoardQuery = {
      department: params.department,
      executorId: params.executorId,
      state: params.state,
      ...flagQueryOf(CONTROL_FLAG_FILTERS, params),
    };
    // A malformed flag is refused (400) in words; the board is shown without the flags.
    let error: string | undefined;
    let read = query;
    try {
      boardFlags(query);
    } catch (caught) {
      if (!(caught instanceof Problem) || caught.getStatus() !== 400) throw caught;
      const errors = (caught.extensions.errors as { field: string; message: string }[] | undefined) ?? [];
      error = filterRefusalWords(errors);
      void reply.status(400);
      read = { department: query.department, executorId: query.executorId, state: query.state };
    }
    const data = await this.board.read(read, principal, pageMinPosition(req, params.minPosition));
    const body = renderControl({
      ...data,
      query,
      executors: data.ownOnly ? [] : await this.executors.options(),
      ...(error !== undefined ? { error } : {}),
    });
    return this.shell.page(req, { title: 'Контроль', body, ownHeading: true });
  }
}
