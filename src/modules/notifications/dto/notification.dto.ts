import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { PageQuery } from '../../../platform/http/page-query.dto';

export class ListNotificationsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'only unread ones' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unread?: boolean;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'order.assigned' })
  template!: string;

  @ApiProperty({ example: '技师已接单' })
  title!: string;

  @ApiProperty({ example: '李技师 将于 11月26日 10:00 为您服务（订单 JA2611260001）。' })
  body!: string;

  @ApiProperty({ enum: ['zh-CN', 'en'] })
  locale!: string;

  @ApiProperty({ type: [String], example: ['in_app', 'sms'], description: 'where it was sent' })
  channels!: string[];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  orderId!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  readAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto] })
  items!: NotificationDto[];

  @ApiProperty()
  total!: number;

  @ApiProperty({ description: 'all of my unread notifications, not only this page' })
  unreadCount!: number;

  @ApiProperty()
  page!: number;

  @ApiProperty()
  pageSize!: number;
}

export class ReadAllResultDto {
  @ApiProperty({ description: 'how many were unread' })
  updated!: number;
}
