/** The appeal lifecycle over HTTP: one folder per use case, wired here. */
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AppealCommandService } from './appeal-command.service';
import { AppealSummaryRenderer } from './appeal-summary';
import { AppealRepository } from './appeal.repository';
import { AppealCommandEndpoint } from './http/command-endpoint';
import { AssignExecutorController } from './assign-executor/assign-executor.controller';
import { ControlOutcomesController } from './control-outcomes/control-outcomes.controller';
import { DocumentRequestsController } from './document-requests/document-requests.controller';
import { ErasePersonalDataController } from './erase-personal-data/erase-personal-data.controller';
import { ErasureListener } from './erase-personal-data/erasure.listener';
import { ExtendDeadlineController } from './extend-deadline/extend-deadline.controller';
import { ForwardAppealController } from './forward-appeal/forward-appeal.controller';
import { GetAppealHistoryController } from './get-appeal-history/get-appeal-history.controller';
import { GetAppealHistoryHandler } from './get-appeal-history/get-appeal-history.handler';
import { GetAppealController } from './get-appeal/get-appeal.controller';
import { GetAppealHandler } from './get-appeal/get-appeal.handler';
import { RegisterAppealController } from './register-appeal/register-appeal.controller';
import { AppealRegistration } from './register-appeal/appeal-registration';
import { RegistrationWriter } from './register-appeal/registration-writer';
import { RemoveFromControlController } from './remove-from-control/remove-from-control.controller';
import { ReturnForReworkController } from './return-for-rework/return-for-rework.controller';
import { SendFinalAnswerController } from './send-final-answer/send-final-answer.controller';
import { SendInterimAnswerController } from './send-interim-answer/send-interim-answer.controller';
import { WithdrawAppealController } from './withdraw-appeal/withdraw-appeal.controller';

@Module({
  imports: [CqrsModule],
  controllers: [
    RegisterAppealController,
    AssignExecutorController,
    ExtendDeadlineController,
    SendInterimAnswerController,
    SendFinalAnswerController,
    ReturnForReworkController,
    RemoveFromControlController,
    ForwardAppealController,
    WithdrawAppealController,
    DocumentRequestsController,
    ControlOutcomesController,
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
