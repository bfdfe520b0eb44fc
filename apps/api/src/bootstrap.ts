/**
 * Builds and starts the engine: configuration, database (embedded unless DATABASE_URL), the Nest
 * application with validation, problem+json, OpenAPI at /docs. Used by main.ts and the e2e suites.
 */
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import type { AppConfig } from './config/app-config';
import { openDatabaseServer, type DatabaseServer } from './database/database-server';
import { registerJsonBodyParser } from './http/json-body';
import { registerAddressRateLimit } from './http/rate-limit';
import { answerClientError, answerFrameworkError } from './http/framework-errors';
import { createValidationPipe } from './http/validation';
import { registerTextChecks } from './http/well-formed-text';
import { registerSecurityHeaders } from './http/security-headers';
import type { Logger } from './logging/logger';
import { observeHttpRequests } from './metrics/http-metrics.hook';
import { EngineMetrics } from './metrics/metrics';
import { CLOCK, type Clock } from './shared/clock';
import { registerWebServer, rewritePageUrl } from '../../web/src/web-server';

const BODY_LIMIT = 1024 * 1024;

export interface RunningEngine {
  app: NestFastifyApplication;
  url: string;
  database: DatabaseServer;
  stop(): Promise<void>;
}

export async function createEngine(
  config: AppConfig,
  logger: Logger,
  options: { clock?: Clock; listen?: boolean } = {},
): Promise<RunningEngine> {
  const database = await openDatabaseServer(
    { databaseUrl: config.databaseUrl, dataDir: config.dataDir },
    logger,
  );
  let app: NestFastifyApplication;
  try {
    app = await NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot({ config, databaseUrl: database.url, logger, clock: options.clock }),
      // Fastify rather than Express: ~15 % less engine CPU per command (docs/decisions/0004-fastify.md).
      new FastifyAdapter({
        bodyLimit: BODY_LIMIT,
        routerOptions: { ignoreTrailingSlash: true },
        // No Nest middleware here (request timing is a Fastify hook): the middleware layer would cost
        // every request a pass through @fastify/middie for nothing.
        skipMiddie: true,
        // A URL Fastify's router cannot decode never reaches Nest's filters.
        frameworkErrors: answerFrameworkError,
        // A request Node's parser refuses (e.g. a NUL in a header) is answered as problem+json too.
        clientErrorHandler: answerClientError,
        // The web application's pages share paths with the API: browsers' page requests go to /ui/….
        rewriteUrl: rewritePageUrl,
        trustProxy: config.web.trustProxy,
      }),
      // Bodies are JSON only, parsed as registerJsonBodyParser says.
      { logger: ['error', 'warn'], bufferLogs: false, abortOnError: false, bodyParser: false },
    );
  } catch (error) {
    await database.stop();
    throw error;
  }
  const server = app.getHttpAdapter().getInstance();
  registerSecurityHeaders(server);
  await registerAddressRateLimit(server, config.auth.rateLimitPerAddressPerMinute);
  registerJsonBodyParser(server, BODY_LIMIT);
  await registerWebServer(server, BODY_LIMIT);
  observeHttpRequests(server, app.get(EngineMetrics));
  registerTextChecks(server);
  app.useGlobalPipes(createValidationPipe({ timeZone: config.timeZone, clock: app.get<Clock>(CLOCK) }));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Appeal Ledger')
      .setDescription(
        "Citizens' appeals under 59-FZ: registration, control, answers, history, reports. Errors are application/problem+json.",
      )
      .setVersion('1')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'A JWT with `exp` (at most AUTH_MAX_TOKEN_LIFETIME, 12 h by default), `sub`, `name`, `roles`, `department`: ' +
          'HS256 signed with AUTH_JWT_SECRET (`npm run token`), or an identity provider token verified through ' +
          'AUTH_JWKS_URL (roles and department from AUTH_ROLES_CLAIM / AUTH_DEPARTMENT_CLAIM). `iss`/`aud` must match ' +
          'AUTH_ISSUER / AUTH_AUDIENCE when set. 401 problem+json when refused; 429 with Retry-After past ' +
          'RATE_LIMIT_PER_MINUTE (per principal) or RATE_LIMIT_PER_ADDRESS_PER_MINUTE (per address).',
      })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  await app.init();
  if (options.listen !== false) await app.listen(config.port, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  let stopped = false;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    database,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await app.close();
      await database.stop();
    },
  };
}
