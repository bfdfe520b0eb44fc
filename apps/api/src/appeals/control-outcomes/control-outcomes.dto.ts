/** Bodies of POST /appeals/{id}/report-to-source, /further-control and /measures-completed. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsBusinessTime, IsCalendarDate } from '../../http/dto-rules';

export class ReportToSourceDto {
  @ApiPropertyOptional({ example: '2018-03-29', description: 'business time; defaults to now' })
  @IsOptional()
  @IsBusinessTime()
  sentAt?: string;

  @ApiProperty({
    example: 'исх. 01-12/345',
    maxLength: 200,
    description: 'the outgoing number of the report',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  reference!: string;
}

export class FurtherControlDto {
  @ApiProperty({ example: '2018-06-30', description: 'the date the measures are expected by' })
  @IsCalendarDate()
  until!: string;

  @ApiProperty({ example: 'ремонт кровли запланирован на II квартал', maxLength: 2000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;

  @ApiPropertyOptional({ description: 'business time of the decision; defaults to now' })
  @IsOptional()
  @IsBusinessTime()
  setAt?: string;
}

export class MeasuresCompletedDto {
  @ApiPropertyOptional({ example: '2018-06-20', description: 'business time; defaults to now' })
  @IsOptional()
  @IsBusinessTime()
  completedAt?: string;
}
