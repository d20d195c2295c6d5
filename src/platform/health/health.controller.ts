import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Redis } from 'ioredis';
import { PRISMA } from '../database/database.tokens';
import type { PrismaClient } from '../database/prisma';
import { Public } from '../http/route-metadata';
import { REDIS } from '../redis/redis.module';

type Check = 'up' | 'down';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  @Get()
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness and dependencies (PostgreSQL, Redis)' })
  @ApiOkResponse({ schema: { example: { status: 'ok', checks: { postgres: 'up', redis: 'up' } } } })
  @ApiServiceUnavailableResponse({ description: 'a dependency is down' })
  async health(): Promise<{ status: 'ok'; checks: Record<string, Check> }> {
    const [postgres, redis] = await Promise.all([
      probe(() => this.prisma.$queryRaw`SELECT 1`),
      probe(() => this.redis.ping()),
    ]);
    const checks = { postgres, redis };
    if (postgres === 'down' || redis === 'down') {
      throw new ServiceUnavailableException({ code: 'DEPENDENCY_DOWN', message: 'a dependency is down', checks });
    }
    return { status: 'ok', checks };
  }
}

async function probe(fn: () => Promise<unknown>): Promise<Check> {
  try {
    await Promise.race([fn(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2_000))]);
    return 'up';
  } catch {
    return 'down';
  }
}
