/** The record of access to personal data, and its endpoint for supervisors. */
import { Global, Module } from '@nestjs/common';
import { GetAccessLogController } from './get-access-log/get-access-log.controller';
import { PersonalDataAccessLog } from './personal-data-access-log';

@Global()
@Module({
  controllers: [GetAccessLogController],
  providers: [PersonalDataAccessLog],
  exports: [PersonalDataAccessLog],
})
export class PersonalDataModule {}
