/** Body of POST /appeals/{id}/forwarding (sent by competence). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
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

  @ApiPropertyOptional({
    type: [String],
    example: ['0003.0009.0099.0742'],
    description:
      'the questions outside the competence (59-FZ art. 8 ч.3); default every question still kept. ' +
      'Questions kept stay on control.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  questionCodes?: string[];

  @ApiPropertyOptional({
    example: '2018-03-07',
    description: 'when the applicant was notified of the forwarding (business time)',
  })
  @IsOptional()
  @IsBusinessTime()
  applicantNotifiedAt?: string;
}
