import { Module } from '@nestjs/common';
import { PlatformConsoleController } from './platform-console.controller';
import { PlatformConsoleService } from './platform-console.service';
import { PlatformConsoleRepository } from './platform-console.repository';
import { PlatformGateway } from './platform.gateway';

/** /api/platform/…: platform operators only; store status changes go through PlatformGateway. */
@Module({
  controllers: [PlatformConsoleController],
  providers: [PlatformConsoleService, PlatformConsoleRepository, PlatformGateway],
})
export class PlatformConsoleModule {}
