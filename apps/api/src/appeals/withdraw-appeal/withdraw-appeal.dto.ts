/** Body of POST /appeals/{id}/withdrawal. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsBusinessTime } from '../../http/dto-rules';

export class WithdrawAppealDto {
  @ApiProperty({ example: '2018-03-10' })
  @IsBusinessTime()
  withdrawnAt!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  reason?: string;
}
