import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** OpenAPI UI at /api/docs, JSON at /api/docs-json. */
export function setupSwagger(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('上门按摩 SaaS API')
    .setDescription(
      'Multi-tenant API. Store routes are reached at {slug}.{BASE_DOMAIN}/api/… or /t/{slug}/api/…; ' +
        'platform routes at /api/platform/…',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
