/** Duplicates answered once with their original (decision 0008): the duplicate process. */
import { Module } from '@nestjs/common';
import { AppealsModule } from '../appeals/appeals.module';
import { DuplicateProcess } from './duplicate-process.service';

@Module({
  imports: [AppealsModule],
  providers: [DuplicateProcess],
  exports: [DuplicateProcess],
})
export class DuplicatesModule {}
