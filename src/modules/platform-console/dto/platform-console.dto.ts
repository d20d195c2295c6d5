import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQuery } from '../../../platform/http/page-query.dto';

export const TENANT_STATUSES = ['pending', 'active', 'suspended', 'rejected'] as const;

export class ListTenantsQueryDto extends PageQuery {
  @ApiPropertyOptional({ enum: TENANT_STATUSES })
  @IsOptional()
  @IsIn(TENANT_STATUSES)
  status?: (typeof TENANT_STATUSES)[number];
}

export class ListAuditQueryDto extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'only events about this store' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({ example: 'tenant.status', description: 'action prefix' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;
}

export class TenantIdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

export class StatusReasonDto {
  @ApiProperty({ example: '营业执照信息不全', description: 'shown to the store owner', maxLength: 500 })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty({ message: 'reason is required' })
  @MaxLength(500)
  reason!: string;
}

export class TenantSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: TENANT_STATUSES }) status!: string;
  @ApiProperty({ nullable: true, type: String }) statusReason!: string | null;
  @ApiProperty() city!: string;
  @ApiProperty() locale!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) approvedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class TenantPageDto {
  @ApiProperty({ type: [TenantSummaryDto] }) items!: TenantSummaryDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class ApplicationInfoDto {
  @ApiProperty() ownerEmail!: string;
  @ApiProperty() ownerName!: string;
  @ApiProperty({ example: '138****1234' }) ownerPhoneMasked!: string;
  @ApiProperty({ format: 'date-time' }) appliedAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) verifiedAt!: string | null;
}

export class TenantDetailDto extends TenantSummaryDto {
  @ApiProperty() displayName!: string;
  @ApiProperty({ nullable: true, type: String }) address!: string | null;
  @ApiProperty() timezone!: string;
  @ApiProperty({ type: ApplicationInfoDto, nullable: true }) application!: ApplicationInfoDto | null;
}

export class StatusChangeDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: TENANT_STATUSES }) status!: string;
}

export class AuditEventDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() actorType!: string;
  @ApiProperty({ nullable: true, type: String }) actorId!: string | null;
  @ApiProperty() action!: string;
  @ApiProperty({ nullable: true, type: String }) targetTenantId!: string | null;
  @ApiProperty({ nullable: true, type: String }) targetType!: string | null;
  @ApiProperty({ nullable: true, type: String }) targetId!: string | null;
  @ApiProperty({ nullable: true, type: String }) ip!: string | null;
  @ApiProperty({ type: Object }) details!: unknown;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEventDto] }) items!: AuditEventDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
