/**
 * @sparticuz/chromium's CommonJS build (its package types resolve to the ESM build under node16).
 * Imports nothing else, so the global setup can load it outside Jest's module system.
 */
export interface SparticuzChromium {
  args: string[];
  executablePath(): Promise<string>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sparticuz = require('@sparticuz/chromium') as { default?: SparticuzChromium } & SparticuzChromium;
export const chromium: SparticuzChromium = sparticuz.default ?? sparticuz;
