/** Tamper evidence: GET /admin/integrity and the periodic signed checkpoints. */
import { Module } from '@nestjs/common';
import { GetIntegrityController } from './get-integrity/get-integrity.controller';
import { IntegrityService } from './integrity.service';

@Module({
  controllers: [GetIntegrityController],
  providers: [IntegrityService],
  exports: [IntegrityService],
})
export class IntegrityModule {}
