/** PLACEHOLDER for «Обращение» (/appeals): replaced by the page itself (see docs/web.md). */
import { Get, Req, Param } from '@nestjs/common';
import { Roles } from '../../../api/src/auth/auth.decorators';
import { html, type Html } from '../shell/html';
import { ROLES } from '../../../api/src/auth/principal';
import { PageController, Shell, type PageRequest } from '../shell/page';

@PageController('/appeals')
export class AppealCardPage {
  constructor(private readonly shell: Shell) {}

  @Get(':id')
  @Roles(...ROLES)
  show(@Req() req: PageRequest, @Param('id') _id: string): Html {
    return this.shell.page(req, { title: 'Обращение', body: html`<p>Раздел в разработке.</p>` });
  }
}
