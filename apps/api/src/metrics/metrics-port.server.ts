/**
 * METRICS_PORT: a second HTTP listener on 127.0.0.1 that serves GET /metrics only, without a token
 * (a Prometheus agent or node exporter on the same host scrapes it; nothing else can reach it).
 */
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { COMMON_SECURITY_HEADERS } from '../http/security-headers';
import type { Logger } from '../logging/logger';
import { LOGGER } from '../logging/logger.module';
import { EngineMetrics } from './metrics';

export const METRICS_HOST = '127.0.0.1';

@Injectable()
export class MetricsPortServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: Server | null = null;

  constructor(
    private readonly metrics: EngineMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** The bound port (useful with METRICS_PORT=0), or null when not listening. */
  get port(): number | null {
    return this.bound()?.port ?? null;
  }

  /** The bound address (always 127.0.0.1), or null when not listening. */
  get address(): string | null {
    return this.bound()?.address ?? null;
  }

  private bound(): AddressInfo | null {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.hardening.metricsPort;
    if (port === undefined) return;
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const headers = { ...COMMON_SECURITY_HEADERS, 'content-security-policy': "default-src 'none'" };
      if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
        res.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
        return;
      }
      this.metrics.registry.metrics().then(
        (text) =>
          res
            .writeHead(200, { ...headers, 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })
            .end(req.method === 'HEAD' ? undefined : text),
        () => res.writeHead(500, headers).end(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, METRICS_HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.log.info({ port: this.port, host: METRICS_HOST }, 'metrics listener on loopback');
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
