/**
 * The answer's outgoing document (59-FZ art. 10 ч.4): the fields final and interim answers may carry.
 * All four together or none; the decider says which are missing (docs/domain.md).
 */
import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import type { AnswerDocumentFields } from '@appeal-ledger/appeal';

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
