import { ApiProperty } from '@nestjs/swagger';

/** A customer as store staff see them: the phone number only masked (138****1234). */
export class CustomerDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '138****1234' })
  phoneMasked!: string;

  @ApiProperty({ type: String, nullable: true, example: '王女士' })
  nickname!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastLoginAt!: Date | null;
}

export class CustomerPageDto {
  @ApiProperty({ type: [CustomerDto] })
  items!: CustomerDto[];

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'pass as `cursor` for the next page' })
  nextCursor!: string | null;
}
