/** Body of POST /appeals/{id}/interim-answers. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsBusinessTime, IsCalendarDate } from '../../http/dto-rules';

export class SendInterimAnswerDto {
  @ApiPropertyOptional({ example: '2018-03-20', description: 'business time; defaults to now' })
  @IsOptional()
  @IsBusinessTime()
  sentAt?: string;

  @ApiProperty({ maxLength: 20000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  summary!: string;

  @ApiPropertyOptional({ example: '2018-04-05', description: 'when the final answer is promised' })
  @IsOptional()
  @IsCalendarDate()
  finalAnswerBy?: string;
}
