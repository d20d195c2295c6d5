import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { FILE_KINDS, type FileKind } from '../file-key';

export class UploadFileQuery {
  @ApiProperty({
    enum: FILE_KINDS,
    required: false,
    default: 'image',
    description: 'image (jpeg/png/webp, ≤ 5 MB) or certificate (also pdf, ≤ 10 MB; sensitive, encrypted at rest)',
  })
  @IsOptional()
  @IsIn(FILE_KINDS)
  kind?: FileKind;
}

export class FileIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

export class FileView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: FILE_KINDS }) kind!: FileKind;
  @ApiProperty({ example: 'image/png' }) contentType!: string;
  @ApiProperty({ description: 'bytes' }) size!: number;
  @ApiProperty({ description: 'only managers and the uploader may read it' }) sensitive!: boolean;
  @ApiProperty({ description: 'path to fetch it, relative to the store' }) url!: string;
  @ApiProperty() createdAt!: string;
}
