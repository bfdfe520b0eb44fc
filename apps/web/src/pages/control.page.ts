/** PLACEHOLDER for «Контроль» (/control): replaced by the page itself (see docs/web.md). */
import { Get, Req } from '@nestjs/common';
import { Roles } from '../../../api/src/auth/auth.decorators';
import { html, type Html } from '../shell/html';
import { rolesOf } from '../shell/nav';
import { PageController, Shell, type PageRequest } from '../shell/page';

@PageController('/control')
export class ControlPage {
  constructor(private readonly shell: Shell) {}

  @Get()
  @Roles(...rolesOf('/control'))
  show(@Req() req: PageRequest): Html {
    return this.shell.page(req, { title: 'Контроль', body: html`<p>Раздел в разработке.</p>` });
  }
}
