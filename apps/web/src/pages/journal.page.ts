/** PLACEHOLDER for «Журнал» (/appeals): replaced by the page itself (see docs/web.md). */
import { Get, Req } from '@nestjs/common';
import { Roles } from '../../../api/src/auth/auth.decorators';
import { html, type Html } from '../shell/html';
import { rolesOf } from '../shell/nav';
import { PageController, Shell, type PageRequest } from '../shell/page';

@PageController('/appeals')
export class JournalPage {
  constructor(private readonly shell: Shell) {}

  @Get()
  @Roles(...rolesOf('/appeals'))
  show(@Req() req: PageRequest): Html {
    return this.shell.page(req, { title: 'Журнал', body: html`<p>Раздел в разработке.</p>` });
  }
}
