/**
 * The appeal lifecycle over HTTP: registration, the command routes of ./command-routes.ts (one
 * generated controller), the reads and the erasure.
 */
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AppealCommandService } from './appeal-command.service';
import { AppealSummaryRenderer } from './appeal-summary';
import { AppealRepository } from './appeal.repository';
import { AppealCommandEndpoint } from './http/command-endpoint';
import { commandController } from './http/command-controller';
import { COMMAND_ROUTES } from './command-routes';
import { ErasePersonalDataController } from './erase-personal-data/erase-personal-data.controller';
import { ErasureListener } from './erase-personal-data/erasure.listener';
import { GetAppealHistoryController } from './get-appeal-history/get-appeal-history.controller';
import { GetAppealHistoryHandler } from './get-appeal-history/get-appeal-history.handler';
import { GetAppealController } from './get-appeal/get-appeal.controller';
import { GetAppealHandler } from './get-appeal/get-appeal.handler';
import { RegisterAppealController } from './register-appeal/register-appeal.controller';
import { AppealRegistration } from './register-appeal/appeal-registration';
import { RegistrationWriter } from './register-appeal/registration-writer';

@Module({
  imports: [CqrsModule],
  controllers: [
    RegisterAppealController,
    commandController(COMMAND_ROUTES),
    GetAppealController,
    GetAppealHistoryController,
    ErasePersonalDataController,
  ],
  providers: [
    ErasureListener,
    AppealRepository,
    AppealCommandService,
    AppealSummaryRenderer,
    AppealCommandEndpoint,
    AppealRegistration,
    RegistrationWriter,
    GetAppealHandler,
    GetAppealHistoryHandler,
  ],
  exports: [AppealRepository, AppealCommandService, AppealSummaryRenderer],
})
export class AppealsModule {}
