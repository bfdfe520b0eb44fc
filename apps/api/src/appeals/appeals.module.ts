/** The appeal lifecycle over HTTP: one folder per use case, wired here. */
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AppealCommandService } from './appeal-command.service';
import { AppealSummaryRenderer } from './appeal-summary';
import { AppealRepository } from './appeal.repository';
import { AssignExecutorController } from './assign-executor/assign-executor.controller';
import { AssignExecutorHandler } from './assign-executor/assign-executor.handler';
import { ErasePersonalDataController } from './erase-personal-data/erase-personal-data.controller';
import { ErasureListener } from './erase-personal-data/erasure.listener';
import { ExtendDeadlineController } from './extend-deadline/extend-deadline.controller';
import { ExtendDeadlineHandler } from './extend-deadline/extend-deadline.handler';
import { ForwardAppealController } from './forward-appeal/forward-appeal.controller';
import { ForwardAppealHandler } from './forward-appeal/forward-appeal.handler';
import { GetAppealHistoryController } from './get-appeal-history/get-appeal-history.controller';
import { GetAppealHistoryHandler } from './get-appeal-history/get-appeal-history.handler';
import { GetAppealController } from './get-appeal/get-appeal.controller';
import { GetAppealHandler } from './get-appeal/get-appeal.handler';
import { RegisterAppealController } from './register-appeal/register-appeal.controller';
import { RegisterAppealHandler } from './register-appeal/register-appeal.handler';
import { RegistrationWriter } from './register-appeal/registration-writer';
import { RemoveFromControlController } from './remove-from-control/remove-from-control.controller';
import { RemoveFromControlHandler } from './remove-from-control/remove-from-control.handler';
import { ReturnForReworkController } from './return-for-rework/return-for-rework.controller';
import { ReturnForReworkHandler } from './return-for-rework/return-for-rework.handler';
import { SendFinalAnswerController } from './send-final-answer/send-final-answer.controller';
import { SendFinalAnswerHandler } from './send-final-answer/send-final-answer.handler';
import { SendInterimAnswerController } from './send-interim-answer/send-interim-answer.controller';
import { SendInterimAnswerHandler } from './send-interim-answer/send-interim-answer.handler';
import { WithdrawAppealController } from './withdraw-appeal/withdraw-appeal.controller';
import { WithdrawAppealHandler } from './withdraw-appeal/withdraw-appeal.handler';

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
    GetAppealController,
    GetAppealHistoryController,
    ErasePersonalDataController,
  ],
  providers: [
    ErasureListener,
    AppealRepository,
    AppealCommandService,
    AppealSummaryRenderer,
    RegisterAppealHandler,
    RegistrationWriter,
    AssignExecutorHandler,
    ExtendDeadlineHandler,
    SendInterimAnswerHandler,
    SendFinalAnswerHandler,
    ReturnForReworkHandler,
    RemoveFromControlHandler,
    ForwardAppealHandler,
    WithdrawAppealHandler,
    GetAppealHandler,
    GetAppealHistoryHandler,
  ],
  exports: [AppealRepository, AppealCommandService, AppealSummaryRenderer],
})
export class AppealsModule {}
