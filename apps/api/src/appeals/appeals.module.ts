/**
 * The appeal lifecycle over HTTP: registration, the command routes of ./command-routes.ts (one
 * generated controller), the reads and the erasure.
 */
import { forwardRef, Module } from '@nestjs/common';
import { AppealCommandService } from './appeal-command.service';
import { AppealReferenceFilter } from './appeal-references.service';
import { AppealSummaryRenderer } from './appeal-summary';
import { AppealRepository } from './appeal.repository';
import { AppealReferences } from './command-checks';
import { AppealCommandEndpoint } from './http/command-endpoint';
import { commandController } from './http/command-controller';
import { COMMAND_ROUTES } from './command-routes';
import { CorrespondenceTerminations } from './correspondence-termination/correspondence-termination.service';
import { ErasePersonalDataController } from './erase-personal-data/erase-personal-data.controller';
import { ErasureListener } from './erase-personal-data/erasure.listener';
import { GetAppealHistoryController } from './get-appeal-history/get-appeal-history.controller';
import { GetAppealHistory } from './get-appeal-history/get-appeal-history.service';
import { ReadModelsModule } from '../read-models/read-models.module';
import { GetRelatedAppealsController } from './get-related-appeals/get-related-appeals.controller';
import { GetAppealController } from './get-appeal/get-appeal.controller';
import { GetAppeal } from './get-appeal/get-appeal.service';
import { RegisterAppealController } from './register-appeal/register-appeal.controller';
import { AppealRegistration } from './register-appeal/appeal-registration';
import { RegistrationWriter } from './register-appeal/registration-writer';

@Module({
  // ReadModelsModule imports this one too (the ССТУ export reads appeals): a forward reference each way
  imports: [forwardRef(() => ReadModelsModule)],
  controllers: [
    RegisterAppealController,
    commandController(COMMAND_ROUTES),
    GetAppealController,
    GetAppealHistoryController,
    GetRelatedAppealsController,
    ErasePersonalDataController,
  ],
  providers: [
    ErasureListener,
    AppealRepository,
    AppealCommandService,
    AppealSummaryRenderer,
    AppealReferenceFilter,
    AppealCommandEndpoint,
    AppealReferences,
    AppealRegistration,
    RegistrationWriter,
    GetAppeal,
    GetAppealHistory,
    CorrespondenceTerminations,
  ],
  exports: [
    AppealRepository,
    AppealCommandService,
    AppealSummaryRenderer,
    AppealReferenceFilter,
    GetAppeal,
    GetAppealHistory,
    CorrespondenceTerminations,
  ],
})
export class AppealsModule {}
