/** Body of POST /appeals/{id}/final-answer. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  ANSWER_DELIVERIES,
  FINAL_QUESTION_RESULTS,
  type AnswerDelivery,
  type FinalQuestionResult,
} from '@appeal-ledger/appeal';
import { SignatoryDto } from '../answer-document/answer-document.dto';
import { IsBusinessTime, IsCalendarDate } from '../../http/dto-rules';

export class QuestionResultDto {
  @ApiProperty({ example: '0005.0005.0056.1149', maxLength: 50 })
  @IsString()
  @MaxLength(50)
  questionCode!: string;

  @ApiProperty({ enum: FINAL_QUESTION_RESULTS })
  @IsIn(FINAL_QUESTION_RESULTS)
  result!: FinalQuestionResult;

  @ApiPropertyOptional({ description: 'with supported: measures were taken (в т.ч. меры приняты)' })
  @IsOptional()
  @IsBoolean()
  measuresTaken?: boolean;
}

export class SendFinalAnswerDto {
  @ApiPropertyOptional({ example: '2018-03-28', description: 'business time; defaults to now' })
  @IsOptional()
  @IsBusinessTime()
  sentAt?: string;

  @ApiProperty({ maxLength: 20000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  summary!: string;

  @ApiProperty({
    type: [QuestionResultDto],
    description: 'a result for every question of the appeal',
    minItems: 1,
    maxItems: 100,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => QuestionResultDto)
  results!: QuestionResultDto[];

  @ApiPropertyOptional({ description: 'considered with an on-site visit' })
  @IsOptional()
  @IsBoolean()
  onSiteVisit?: boolean;

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
