/** Read models over HTTP: the projection runner, GET /control, GET /reports/*, projection admin. */
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AppealsModule } from '../appeals/appeals.module';
import { GetControlController } from '../control/get-control/get-control.controller';
import { GetControlHandler } from '../control/get-control/get-control.handler';
import { GetSstuExportController } from '../reports/get-sstu-export/get-sstu-export.controller';
import { GetSstuExportHandler } from '../reports/get-sstu-export/get-sstu-export.handler';
import { GetSummaryReportController } from '../reports/get-summary-report/get-summary-report.controller';
import { GetSummaryReportHandler } from '../reports/get-summary-report/get-summary-report.handler';
import { GetWeeklyReportController } from '../reports/get-weekly-report/get-weekly-report.controller';
import { GetWeeklyReportHandler } from '../reports/get-weekly-report/get-weekly-report.handler';
import { ProjectionsService } from './projections.service';
import { RebuildProjectionController } from './rebuild-projection/rebuild-projection.controller';

@Module({
  imports: [CqrsModule, AppealsModule],
  controllers: [
    GetControlController,
    GetSstuExportController,
    GetSummaryReportController,
    GetWeeklyReportController,
    RebuildProjectionController,
  ],
  providers: [
    ProjectionsService,
    GetControlHandler,
    GetSstuExportHandler,
    GetSummaryReportHandler,
    GetWeeklyReportHandler,
  ],
  exports: [ProjectionsService],
})
export class ReadModelsModule {}
