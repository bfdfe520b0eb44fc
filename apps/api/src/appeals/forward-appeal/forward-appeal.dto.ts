/** Body of POST /appeals/{id}/forwarding (sent by competence). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsBusinessTime } from '../../http/dto-rules';

export class ForwardAppealDto {
  @ApiProperty({ example: 'Прокуратура Кемеровской области', maxLength: 500 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  to!: string;

  @ApiPropertyOptional({ example: '2018-03-07', description: 'business time; defaults to now' })
  @IsOptional()
  @IsBusinessTime()
  sentAt?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;
}
