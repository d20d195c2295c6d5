import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from './config/config.schema';
import { AppModule } from './app.module';
import { createLogger, PinoNestLogger } from './platform/logging/logger';
import { AllExceptionsFilter } from './platform/http/all-exceptions.filter';
import { createValidationPipe } from './platform/http/validation';
import { setupSwagger } from './platform/http/swagger';
import { installFastifyErrorHandler } from './platform/http/fastify-errors';
import { AppFastifyAdapter } from './platform/http/app-fastify-adapter';
import { installInterceptorsConsumer } from './platform/http/interceptors-consumer';
import { serveTenantAssets } from './platform/http/tenant-assets';
import { serveWebApp } from './platform/http/spa';
import { rewriteTenantPath, type RawRequestWithSlug } from './platform/tenancy/tenant-path';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Builds the HTTP application (used by main.ts and by the tests). */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  installInterceptorsConsumer();
  const logger = createLogger(config);
  const adapter = new AppFastifyAdapter({
    loggerInstance: logger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    requestIdHeader: false,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    rewriteUrl: (req: unknown) => rewriteTenantPath(req as RawRequestWithSlug),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  installFastifyErrorHandler(fastify);
  await serveTenantAssets(fastify, config.TENANTS_DIR);
  await serveWebApp(fastify, { distDir: config.WEB_DIST_DIR, baseDomain: config.BASE_DOMAIN, logger });
  fastify.addHook('onSend', async (req, reply) => {
    void reply.header('x-request-id', req.id);
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();
  setupSwagger(app);
  await app.init();
  return app;
}
