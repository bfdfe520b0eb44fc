/** «Регистрация» (/appeals/new): the registration card, posted by the page's script to POST /appeals. */
import { Get, Inject, Req } from '@nestjs/common';
import { Roles } from '../../../api/src/auth/auth.decorators';
import { APP_CONFIG, type AppConfig } from '../../../api/src/config/app-config';
import { today } from '../../../api/src/shared/business-time';
import { CLOCK, type Clock } from '../../../api/src/shared/clock';
import type { Html } from '../shell/html';
import { rolesOf } from '../shell/nav';
import { PageController, Shell, type PageRequest } from '../shell/page';
import { renderRegistration } from './registration/registration.page';

@PageController('/appeals/new')
export class NewAppealPage {
  constructor(
    private readonly shell: Shell,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles(...rolesOf('/appeals/new'))
  show(@Req() req: PageRequest): Html {
    const body = renderRegistration({ today: today(this.config.timeZone, this.clock.now()) });
    return this.shell.page(req, { title: 'Регистрация обращения', body, ownHeading: true });
  }
}
