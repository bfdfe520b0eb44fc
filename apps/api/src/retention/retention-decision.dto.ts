/** POST /admin/retention/decisions: the expert commission's act. */
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, IsUUID, Length } from 'class-validator';
import { IsCalendarDate } from '../http/dto-rules';

export class RetentionDecisionDto {
  @ApiProperty({ example: '12-ЭПК', description: "the act's number" })
  @IsString()
  @Length(1, 100)
  number!: string;

  @ApiProperty({ example: '2025-02-14', description: "the act's date (not after today)" })
  @IsCalendarDate()
  date!: string;

  @ApiProperty({ type: [String], description: 'the appeals whose files the act orders destroyed' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  appealIds!: string[];
}
