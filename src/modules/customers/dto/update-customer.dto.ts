import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class UpdateCustomerDto {
  @ApiProperty({ minLength: 1, maxLength: 30, example: '王女士' })
  @IsString()
  @Length(1, 30)
  nickname!: string;
}
