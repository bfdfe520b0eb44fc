/** «Напоминания» (/reminders): the reminders as issued, live from the SSE feed. */
import { Get, Query, Req } from '@nestjs/common';
import { Roles } from '../../../api/src/auth/auth.decorators';
import { Problem } from '../../../api/src/http/problem';
import { pageMinPosition } from './shared/read-your-writes';
import type { Html } from '../shell/html';
import { rolesOf } from '../shell/nav';
import { PageController, Shell, type PageRequest } from '../shell/page';
import { RemindersPageQuery } from './reminders/reminders-page.query';
import { renderReminders } from './reminders/reminders.page';

@PageController('/reminders')
export class RemindersPage {
  constructor(
    private readonly shell: Shell,
    private readonly reminders: RemindersPageQuery,
  ) {}

  @Get()
  @Roles(...rolesOf('/reminders'))
  async show(@Req() req: PageRequest, @Query('minPosition') minPosition?: string): Promise<Html> {
    const principal = req.principal;
    if (!principal) throw Problem.unauthorized('sign in');
    const data = await this.reminders.read(principal, pageMinPosition(req, minPosition));
    const body = renderReminders({ ...data, timeZone: this.shell.timeZone });
    return this.shell.page(req, { title: 'Напоминания', body, ownHeading: true });
  }
}
