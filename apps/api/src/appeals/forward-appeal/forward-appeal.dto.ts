/** Body of POST /appeals/{id}/forwarding (sent by competence). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsBusinessTime } from '../../http/dto-rules';

export class ForwardAppealDto {
  @ApiProperty({ example: 'Прокуратура Кемеровской области' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  to!: string;

  @ApiProperty({ example: '2018-03-07' })
  @IsBusinessTime()
  sentAt!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;
}
