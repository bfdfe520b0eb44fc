/** Retention of appeal files and the expert commission's decisions (ЭПК). */
import { Module } from '@nestjs/common';
import { AppealsModule } from '../appeals/appeals.module';
import { RetentionController } from './retention.controller';
import { RetentionService } from './retention.service';

@Module({
  imports: [AppealsModule],
  controllers: [RetentionController],
  providers: [RetentionService],
})
export class RetentionModule {}
