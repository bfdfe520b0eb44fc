/** The appeal card (/appeals/{id}[?asOf=]): for every role the API lets read the appeal. */
import { Get, Param, Query, Req } from '@nestjs/common';
import { Roles } from '../../../api/src/auth/auth.decorators';
import { ROLES } from '../../../api/src/auth/principal';
import { Problem } from '../../../api/src/http/problem';
import type { Html } from '../shell/html';
import { PageController, Shell, type PageRequest } from '../shell/page';
import { CardPageQuery } from './card/card-page.query';
import { renderCard } from './card/card.page';

@PageController('/appeals')
export class AppealCardPage {
  constructor(
    private readonly shell: Shell,
    private readonly card: CardPageQuery,
  ) {}

  // minPosition is accepted and not needed: the card reads the appeal's stream, always current.
  @Get(':id')
  @Roles(...ROLES)
  async show(@Req() req: PageRequest, @Param('id') id: string, @Query('asOf') asOf?: string): Promise<Html> {
    const principal = req.principal;
    if (!principal) throw Problem.unauthorized('sign in');
    const view = await this.card.read(id, principal, asOf);
    return this.shell.page(req, {
      title: `Обращение № ${view.appeal.number}`,
      body: renderCard(view),
      ownHeading: true,
    });
  }
}
