/** «Администрирование» (/admin): accounts and projections. */
import { Get, Req } from '@nestjs/common';
import { Roles } from '../../../api/src/auth/auth.decorators';
import { html, type Html } from '../shell/html';
import { rolesOf } from '../shell/nav';
import { PageController, Shell, type PageRequest } from '../shell/page';

@PageController('/admin')
export class AdminPage {
  constructor(private readonly shell: Shell) {}

  @Get()
  @Roles(...rolesOf('/admin'))
  show(@Req() req: PageRequest): Html {
    return this.shell.page(req, { title: 'Администрирование', body: html`<p>Учётные записи.</p>` });
  }
}
