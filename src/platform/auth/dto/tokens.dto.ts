import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, IsUUID, Length } from 'class-validator';

export class RefreshDto {
  @ApiProperty({ description: 'the refresh token from sign-in or the last refresh (single use)' })
  @IsString()
  @Length(20, 200)
  refreshToken!: string;
}

export class SessionIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

export class PrincipalDto {
  @ApiProperty({ enum: ['operator', 'staff', 'customer', 'technician'] })
  kind!: string;

  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'customer' })
  role!: string;

  @ApiPropertyOptional({ example: '138****5678', description: 'masked; the full number is never returned' })
  phoneMasked?: string;

  @ApiPropertyOptional()
  email?: string;

  @ApiPropertyOptional({ nullable: true })
  name?: string | null;

  @ApiPropertyOptional({ description: 'technician review status' })
  status?: string;

  @ApiPropertyOptional({ description: 'true on the first sign-in (account just created)' })
  isNew?: boolean;
}

export class TokensDto {
  @ApiProperty({ description: 'short-lived bearer token' })
  accessToken!: string;

  @ApiProperty({ example: 900 })
  expiresIn!: number;

  @ApiProperty({ description: 'single-use; exchange at /auth/refresh for a new pair' })
  refreshToken!: string;

  @ApiProperty({ example: 'Bearer' })
  tokenType!: 'Bearer';

  @ApiProperty({ type: PrincipalDto })
  principal!: PrincipalDto;
}

export class SessionDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'the session of the token making this request' })
  current!: boolean;

  @ApiPropertyOptional({ nullable: true })
  userAgent!: string | null;

  @ApiPropertyOptional({ nullable: true })
  ip!: string | null;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  lastUsedAt!: Date;

  @ApiProperty()
  expiresAt!: Date;
}
