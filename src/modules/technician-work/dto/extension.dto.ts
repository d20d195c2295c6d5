import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export class ProposeExtensionDto {
  @ApiProperty({ example: 1, description: 'how many units of the service’s 加钟 add-on (e.g. 30 min each)' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  units!: number;
}

export class ExtensionView {
  @ApiProperty() id!: string;
  @ApiProperty() orderId!: string;
  @ApiProperty() minutes!: number;
  @ApiProperty() amountFen!: number;
  @ApiProperty({ enum: ['proposed', 'pending_payment', 'paid', 'cancelled'] }) status!: string;
}
