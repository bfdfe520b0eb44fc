/** Body of POST /appeals/{id}/withdrawal. */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsBusinessTime } from '../../http/dto-rules';

export class WithdrawAppealDto {
  @ApiPropertyOptional({ example: '2018-03-10', description: 'business time; defaults to now' })
  @IsOptional()
  @IsBusinessTime()
  withdrawnAt?: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  reason?: string;
}
