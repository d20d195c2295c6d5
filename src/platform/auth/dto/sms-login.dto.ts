import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches } from 'class-validator';
import { CODE_PURPOSES, type CodePurpose } from '../sms-code.service';
import { IsCnMobile } from './is-cn-mobile';

export class SendSmsCodeDto {
  @ApiProperty({ example: '13812345678', description: 'mainland mobile number 大陆手机号' })
  @IsCnMobile()
  phone!: string;

  @ApiProperty({ enum: CODE_PURPOSES, description: 'who is signing in: customer 用户 or technician 技师' })
  @IsIn(CODE_PURPOSES)
  purpose!: CodePurpose;
}

export class SmsLoginDto {
  @ApiProperty({ example: '13812345678' })
  @IsCnMobile()
  phone!: string;

  @ApiProperty({ example: '123456', description: '6-digit code from the SMS 短信验证码' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code!: string;
}

export class SmsCodeSentDto {
  @ApiProperty({ example: true })
  sent!: boolean;

  @ApiProperty({ example: 300, description: 'seconds until the code expires' })
  expiresIn!: number;
}
