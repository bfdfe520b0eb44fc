/** PLACEHOLDER for «Отчёты» (/reports): replaced by the page itself (see docs/web.md). */
import { Get, Req } from '@nestjs/common';
import { Roles } from '../../../api/src/auth/auth.decorators';
import { html, type Html } from '../shell/html';
import { rolesOf } from '../shell/nav';
import { PageController, Shell, type PageRequest } from '../shell/page';

@PageController('/reports')
export class ReportsPage {
  constructor(private readonly shell: Shell) {}

  @Get()
  @Roles(...rolesOf('/reports'))
  show(@Req() req: PageRequest): Html {
    return this.shell.page(req, { title: 'Отчёты', body: html`<p>Раздел в разработке.</p>` });
  }
}
