/**
 * The answer's outgoing document (59-FZ art. 10 ч.4): the fields final and interim answers may carry.
 * All four together or none; the decider says which are missing (docs/domain.md).
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { ANSWER_DELIVERIES, type AnswerDelivery, type AnswerDocumentFields } from '@appeal-ledger/appeal';
import { IsCalendarDate } from '../../http/dto-rules';

export class SignatoryDto {
  @ApiProperty({ example: 'Кузнецов К.К.', maxLength: 300 })
  @IsString()
  @MaxLength(300)
  name!: string;

  @ApiProperty({ example: 'глава района', maxLength: 300 })
  @IsString()
  @MaxLength(300)
  position!: string;
}

/** The outgoing-document fields an interim or final answer's body may carry (both DTOs extend it). */
export class AnswerDocumentDto {
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

/** The document fields of a body, as the command carries them (absent ones left out). */
export function answerDocumentFields(body: AnswerDocumentFields): AnswerDocumentFields {
  return {
    ...(body.outgoingNumber !== undefined && { outgoingNumber: body.outgoingNumber }),
    ...(body.outgoingDate !== undefined && { outgoingDate: body.outgoingDate }),
    ...(body.signedBy !== undefined && {
      signedBy: { name: body.signedBy.name, position: body.signedBy.position },
    }),
    ...(body.delivery !== undefined && { delivery: body.delivery }),
  };
}
