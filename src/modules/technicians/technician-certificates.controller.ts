import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { ClientIp, CurrentActor, type AppRequest } from '../../platform/http/request-context';
import { TenantScoped } from '../../platform/http/route-metadata';
import { RejectTechnicianDto } from './dto/reject-technician.dto';
import { CertificateDto } from './dto/technician.dto';
import { abilityOf } from './request-ability';
import { TechnicianCertificatesService } from './technician-certificates.service';

const uuid = new ParseUUIDPipe();

@ApiTags('technicians')
@ApiBearerAuth()
@ApiForbiddenResponse({
  description: 'only the owner and managers decide on certificates; or a token of another store',
})
@ApiNotFoundResponse({ description: 'no such certificate of this technician in this store' })
@ApiConflictResponse({ description: 'another decision on the certificate was recorded at the same moment' })
@TenantScoped()
@Controller('api/technicians/:technicianId/certificates/:certificateId')
export class TechnicianCertificatesController {
  constructor(private readonly certificates: TechnicianCertificatesService) {}

  @Post('verify')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('approve', 'TechnicianCertificate'))
  @ApiOperation({
    summary: 'Mark a certificate verified (已认证; audited, the technician is notified)',
    description: 'The public profile then shows a verified badge of its kind, never the document.',
  })
  @ApiOkResponse({ type: CertificateDto })
  verify(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @ClientIp() ip: string,
    @Param('technicianId', uuid) technicianId: string,
    @Param('certificateId', uuid) certificateId: string,
  ): Promise<CertificateDto> {
    return this.certificates.decide(abilityOf(req), actor, technicianId, certificateId, 'verify', ip);
  }

  @Post('reject')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('approve', 'TechnicianCertificate'))
  @ApiOperation({ summary: 'Reject a certificate with a reason (audited, the technician is notified)' })
  @ApiOkResponse({ type: CertificateDto })
  @ApiBadRequestResponse({ description: 'reason missing or blank' })
  reject(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @ClientIp() ip: string,
    @Param('technicianId', uuid) technicianId: string,
    @Param('certificateId', uuid) certificateId: string,
    @Body() body: RejectTechnicianDto,
  ): Promise<CertificateDto> {
    return this.certificates.decide(abilityOf(req), actor, technicianId, certificateId, 'reject', ip, body.reason);
  }
}
