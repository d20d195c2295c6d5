import { ApiProperty } from '@nestjs/swagger';

export class SignupAcceptedDto {
  @ApiProperty({ example: 'verification_sent', description: 'a verification e-mail is on its way' })
  status!: 'verification_sent';

  @ApiProperty({ example: 24 })
  expiresInHours!: number;
}

export class ResendAcceptedDto {
  @ApiProperty({
    example: 'ok',
    description: 'the same answer whether or not the e-mail has a pending sign-up',
  })
  status!: 'ok';
}

export class VerifiedStoreDto {
  @ApiProperty({ format: 'uuid' })
  tenantId!: string;

  @ApiProperty({ example: 'jingan-tuina' })
  slug!: string;

  @ApiProperty({ example: 'pending', description: 'the store waits for platform approval' })
  status!: string;

  @ApiProperty({ example: 'owner@example.com', description: 'sign in with this e-mail and your password' })
  ownerEmail!: string;
}
