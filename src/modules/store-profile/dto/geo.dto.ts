import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNumber,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
  registerDecorator,
  type ValidationArguments,
} from 'class-validator';

export class LatLngDto {
  @ApiProperty({ example: 31.2231, minimum: -90, maximum: 90 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat!: number;

  @ApiProperty({ example: 121.4462, minimum: -180, maximum: 180 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lng!: number;
}

/** `[[lat, lng], ...]` with every pair in range. */
function IsLatLngPairs(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isLatLngPairs',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) =>
          Array.isArray(value) &&
          value.every(
            (p) =>
              Array.isArray(p) &&
              p.length === 2 &&
              typeof p[0] === 'number' &&
              typeof p[1] === 'number' &&
              Math.abs(p[0]) <= 90 &&
              Math.abs(p[1]) <= 180,
          ),
        defaultMessage: (a?: ValidationArguments) =>
          `${a?.property ?? 'polygon'} must be a list of [lat, lng] pairs (lat −90…90, lng −180…180)`,
      },
    });
}

/** Either a circle (`center` + `radiusM`) or a `polygon`; not both. */
export class ServiceAreaDto {
  @ApiPropertyOptional({ type: LatLngDto, description: 'circle centre (with radiusM)' })
  @ValidateIf((o: ServiceAreaDto) => o.polygon === undefined || o.center !== undefined)
  @ValidateNested()
  @Type(() => LatLngDto)
  center?: LatLngDto;

  @ApiPropertyOptional({ example: 8000, minimum: 100, maximum: 100000, description: 'circle radius in metres' })
  @ValidateIf((o: ServiceAreaDto) => o.polygon === undefined || o.radiusM !== undefined)
  @IsInt()
  @Min(100)
  @Max(100_000)
  radiusM?: number;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 },
    example: [
      [23.166, 113.295],
      [23.166, 113.37],
      [23.105, 113.39],
    ],
    description: 'polygon vertices as [lat, lng]; instead of center/radiusM',
  })
  @ValidateIf((o: ServiceAreaDto) => o.polygon !== undefined || (o.center === undefined && o.radiusM === undefined))
  @IsArray()
  @ArrayMinSize(3)
  @ArrayMaxSize(200)
  @IsLatLngPairs()
  polygon?: Array<[number, number]>;
}
