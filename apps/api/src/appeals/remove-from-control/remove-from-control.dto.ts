/** Body of POST /appeals/{id}/closure (removal from control). */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsBusinessTime } from '../../http/dto-rules';

export class RemoveFromControlDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBusinessTime()
  closedAt?: string;
}
