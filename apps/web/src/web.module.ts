/**
 * The web application (docs/web.md): accounts and sessions, the sign-in pages, the page shell and
 * its assets, the pages. Pages are controllers under /ui, reached through page-paths.ts.
 */
import { Global, Module } from '@nestjs/common';
import { ReadModelsModule } from '../../api/src/read-models/read-models.module';
import { AccountsService } from './accounts/accounts.service';
import { AdminUsersController } from './accounts/admin-users.controller';
import { WebSessions } from './accounts/web-sessions';
import { AdminPage } from './pages/admin.page';
import { AppealCardPage } from './pages/appeal-card.page';
import { ControlPage } from './pages/control.page';
import { JournalPage } from './pages/journal.page';
import { NewAppealPage } from './pages/new-appeal.page';
import { RemindersPage } from './pages/reminders.page';
import { ReportsPage } from './pages/reports.page';
import { SignInPage } from './pages/sign-in.page';
import { AssetsController } from './shell/assets.controller';
import { HtmlInterceptor, Shell } from './shell/page';
import { WebPagesModule } from './pages/web-pages.module';
import { OidcSignInPage } from './sso/oidc-sign-in.page';
import { OidcSignIn } from './sso/oidc-sign-in.service';

/** Every page controller; a new page adds its class here. */
export const PAGE_CONTROLLERS = [
  SignInPage,
  OidcSignInPage,
  JournalPage,
  NewAppealPage,
  AppealCardPage,
  ControlPage,
  RemindersPage,
  ReportsPage,
  AdminPage,
];

@Global()
@Module({
  imports: [ReadModelsModule, WebPagesModule],
  controllers: [AssetsController, AdminUsersController, ...PAGE_CONTROLLERS],
  providers: [AccountsService, WebSessions, Shell, HtmlInterceptor, SignInPage, OidcSignIn],
  exports: [AccountsService, WebSessions, Shell],
})
export class WebModule {}
