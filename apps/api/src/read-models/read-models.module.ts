/** Read models over HTTP: the projection runner, GET /control, GET /reports/*, projection admin. */
import { forwardRef, Module } from '@nestjs/common';
import { AppealsModule } from '../appeals/appeals.module';
import { GetControlController } from '../control/get-control/get-control.controller';
import { GetControl } from '../control/get-control/get-control.service';
import { GetSstuExportController } from '../reports/get-sstu-export/get-sstu-export.controller';
import { GetSstuExport } from '../reports/get-sstu-export/get-sstu-export.service';
import { GetSummaryReportController } from '../reports/get-summary-report/get-summary-report.controller';
import { GetSummaryReport } from '../reports/get-summary-report/get-summary-report.service';
import { GetWeeklyReportController } from '../reports/get-weekly-report/get-weekly-report.controller';
import { GetWeeklyReport } from '../reports/get-weekly-report/get-weekly-report.service';
import { ApplicantIndexProjection, forgetAppeal } from '../applicant-matching/applicant-index.projection';
import type { Pool } from 'pg';
import { BlindIndex, loadApplicantIndexKey } from '../applicant-matching/blind-index';
import { RelatedAppealsService } from '../applicant-matching/related-appeals.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PG_POOL } from '../infrastructure/infrastructure.module';
import { loadMasterKey, PersonalDataVault } from '../personal-data/personal-data.vault';
import { ProjectionsService } from './projections.service';
import { RebuildProjectionController } from './rebuild-projection/rebuild-projection.controller';

@Module({
  // AppealsModule imports this one too (registration lists related appeals): a forward reference each way
  imports: [forwardRef(() => AppealsModule)],
  controllers: [
    GetControlController,
    GetSstuExportController,
    GetSummaryReportController,
    GetWeeklyReportController,
    RebuildProjectionController,
  ],
  providers: [
    ProjectionsService,
    GetControl,
    GetSstuExport,
    GetSummaryReport,
    GetWeeklyReport,
    {
      // its own key: APPLICANT_INDEX_KEY, or derived from the personal-data master key
      provide: BlindIndex,
      inject: [APP_CONFIG, PG_POOL],
      useFactory: async (config: AppConfig, pool: Pool): Promise<BlindIndex> => {
        const index = new BlindIndex(
          loadApplicantIndexKey({
            key: config.applicantIndexKey,
            masterKey: loadMasterKey({ dataDir: config.dataDir, masterKey: config.personalDataMasterKey }),
          }),
        );
        await index.verify(pool);
        return index;
      },
    },
    {
      provide: ApplicantIndexProjection,
      inject: [PersonalDataVault, BlindIndex],
      useFactory: (vault: PersonalDataVault, index: BlindIndex): ApplicantIndexProjection => {
        // erasure deletes the appeal's index entries in its own transaction
        vault.onErasure((client, appealId) => forgetAppeal(client, appealId));
        return new ApplicantIndexProjection(vault, index);
      },
    },
    RelatedAppealsService,
  ],
  exports: [ProjectionsService, RelatedAppealsService, GetSummaryReport, GetWeeklyReport],
})
export class ReadModelsModule {}
