/** Bodies of POST /appeals/{id}/document-requests and POST /appeals/{id}/document-requests/{rid}/reply. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsBusinessTime } from '../../http/dto-rules';

export class RequestDocumentsDto {
  @ApiProperty({ example: 'Управление Росреестра по Кемеровской области', maxLength: 500 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  to!: string;

  @ApiProperty({ example: '2018-03-07', description: 'business time the request was sent' })
  @IsBusinessTime()
  sentAt!: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'outgoing number of the request' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;
}

export class RecordDocumentsReplyDto {
  @ApiProperty({ example: '2018-03-19', description: 'business time the reply was received' })
  @IsBusinessTime()
  receivedAt!: string;
}

export class DocumentRequestCreatedDto {
  @ApiProperty({ format: 'uuid' })
  requestId!: string;

  @ApiProperty({
    example: '2018-03-22',
    description: 'the body must reply by this date (15 days, 59-FZ art. 10)',
  })
  replyDueDate!: string;
}
