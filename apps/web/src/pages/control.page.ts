/** «Контроль» (/control): what is on control, grouped by urgency, with counts. */
import { Get, Query, Req } from '@nestjs/common';
import { Roles } from '../../../api/src/auth/auth.decorators';
import { Problem } from '../../../api/src/http/problem';
import { pageMinPosition } from './shared/read-your-writes';
import type { Html } from '../shell/html';
import { rolesOf } from '../shell/nav';
import { PageController, Shell, type PageRequest } from '../shell/page';
import { ControlBoardQueryService } from './control/control-board.query';
import { renderControl } from './control/control.page';
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
  async show(@Req() req: PageRequest, @Query() params: Record<string, string | undefined>): Promise<Html> {
    const principal = req.principal;
    if (!principal) throw Problem.unauthorized('sign in');
    const query = { department: params.department, executorId: params.executorId, state: params.state };
    const data = await this.board.read(query, principal, pageMinPosition(req, params.minPosition));
    const body = renderControl({
      ...data,
      query,
      executors: data.ownOnly ? [] : await this.executors.options(),
    });
    return this.shell.page(req, { title: 'Контроль', body, ownHeading: true });
  }
}
