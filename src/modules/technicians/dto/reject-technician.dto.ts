import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class RejectTechnicianDto {
  @ApiProperty({ example: '证件照片不清晰，请重新上传', minLength: 2, maxLength: 500 })
  @IsString()
  @Length(2, 500)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
}
