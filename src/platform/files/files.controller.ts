import { Controller, Get, HttpCode, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Actor } from '../auth/actor';
import { CheckPolicies } from '../authz/check-policies';
import { ClientIp, CurrentActor, type AppRequest } from '../http/request-context';
import { Public, TenantScoped } from '../http/route-metadata';
import { FileIdParam, FileView, UploadFileQuery } from './dto/file.dto';
import { FilesService } from './files.service';

@ApiTags('files')
@TenantScoped()
@Controller('api/files')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Post()
  @HttpCode(201)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Upload an image or a certificate (type checked from the bytes; 413 when too large, 415 wrong type)',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
  })
  @ApiOkResponse({ type: FileView })
  @ApiTooManyRequestsResponse({
    description:
      'RATE_LIMITED: FILES_UPLOADS_PER_USER / FILES_UPLOADS_PER_IP per FILES_UPLOAD_WINDOW_SECONDS (Retry-After)',
  })
  @CheckPolicies((a) => a.can('create', 'StoredFile'))
  upload(
    @CurrentActor() actor: Actor,
    @ClientIp() ip: string,
    @Query() q: UploadFileQuery,
    @Req() req: AppRequest,
  ): Promise<FileView> {
    return this.files.upload(actor, req.ability!, q.kind ?? 'image', req.bufferedUpload, ip);
  }

  @Get(':id')
  @Public()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Fetch a file: public images to anyone; certificates only to managers and the uploader' })
  async download(
    @Param() p: FileIdParam,
    @Req() req: AppRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const { file, body } = await this.files.open(req.ability!, p.id);
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('cache-control', file.sensitive ? 'private, no-store' : 'public, max-age=86400, immutable');
    void reply.header('etag', `"${file.sha256}"`);
    const options = { type: file.contentType, length: file.sizeBytes, disposition: 'inline' };
    return Buffer.isBuffer(body) ? new StreamableFile(body, options) : new StreamableFile(body, options);
  }
}
