/** Modules add their own checks to GET /health (e.g. projection lag) through this registry. */
import { Injectable } from '@nestjs/common';

export interface HealthCheck {
  /** failed: the engine cannot do its work (503); degraded: it does, but needs attention (200) */
  status: 'ok' | 'degraded' | 'failed';
  detail?: string;
  [key: string]: unknown;
}

export type HealthContributor = () => Promise<Record<string, HealthCheck>>;

@Injectable()
export class HealthRegistry {
  private readonly contributors: HealthContributor[] = [];

  add(contributor: HealthContributor): void {
    this.contributors.push(contributor);
  }

  all(): readonly HealthContributor[] {
    return this.contributors;
  }
}
