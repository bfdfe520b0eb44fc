/** An official by name and position: who decided an extension, a resolution, a termination. */
import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class OfficialDto {
  @ApiProperty({ example: 'Иванов И.И.', maxLength: 300 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  name!: string;

  @ApiProperty({ example: 'глава района', maxLength: 300 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  position!: string;
}
