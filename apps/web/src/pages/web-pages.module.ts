/**
 * What the work pages read with (apps/web/src/pages): the page queries over the read models and the
 * appeal streams, the executor directory, and the classifier picker's endpoint. The page
 * controllers themselves are listed in web.module.ts with the shell's.
 */
import { Module } from '@nestjs/common';
import { AppealsModule } from '../../../api/src/appeals/appeals.module';
import { ReadModelsModule } from '../../../api/src/read-models/read-models.module';
import { RemindersModule } from '../../../api/src/reminders/reminders.module';
import { CardPageQuery } from './card/card-page.query';
import { ClassifierSearchController } from './classifier/classifier-search.controller';
import { ControlBoardQueryService } from './control/control-board.query';
import { JournalPageQuery } from './journal/journal-page.query';
import { RemindersPageQuery } from './reminders/reminders-page.query';
import { ExecutorDirectory } from './shared/executor-directory';

const PAGE_QUERIES = [
  JournalPageQuery,
  CardPageQuery,
  ControlBoardQueryService,
  RemindersPageQuery,
  ExecutorDirectory,
];

@Module({
  imports: [AppealsModule, ReadModelsModule, RemindersModule],
  controllers: [ClassifierSearchController],
  providers: PAGE_QUERIES,
  exports: PAGE_QUERIES,
})
export class WebPagesModule {}
