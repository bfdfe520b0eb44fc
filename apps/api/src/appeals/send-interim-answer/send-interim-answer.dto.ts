/** Body of POST /appeals/{id}/interim-answers. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { ANSWER_DELIVERIES, type AnswerDelivery } from '@appeal-ledger/appeal';
import { SignatoryDto } from '../answer-document/answer-document.dto';
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

  @ApiPropertyOptional({ example: '01-12/777', maxLength: 100, description: 'outgoing number (art. 10 ч.4)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  outgoingNumber?: string;

  @ApiPropertyOptional({ example: '2018-03-28', description: 'outgoing date' })
  @IsOptional()
  @IsCalendarDate()
  outgoingDate?: string;

  @ApiPropertyOptional({ type: SignatoryDto, description: 'who signed the answer' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SignatoryDto)
  signedBy?: SignatoryDto;

  @ApiPropertyOptional({ enum: ANSWER_DELIVERIES, description: 'how the answer went to the applicant' })
  @IsOptional()
  @IsIn(ANSWER_DELIVERIES)
  delivery?: AnswerDelivery;
}
