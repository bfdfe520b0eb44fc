/**
 * The two static files of the application (apps/web/src/assets: app.js, app.css), read once at
 * start, served at /assets/<name>?v=<hash> with a year's cache (the hash changes with the file),
 * gzip-compressed for clients that accept it. Nothing to build.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface Asset {
  body: Buffer;
  gzip: Buffer;
  type: string;
  hash: string;
}

const TYPES: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'pages.js': 'text/javascript; charset=utf-8',
  'pages.css': 'text/css; charset=utf-8',
};

/** The sources' folder: next to this file under ts-jest/ts-node, in the source tree when run from dist/. */
function assetsDir(): string {
  const candidates = [
    join(__dirname, '..', 'assets'),
    join(__dirname, '..', '..', '..', '..', '..', 'apps', 'web', 'src', 'assets'),
  ];
  const found = candidates.find((dir) => existsSync(join(dir, 'app.js')));
  if (!found) throw new Error(`the web assets are missing (looked in ${candidates.join(', ')})`);
  return found;
}

let cache: Map<string, Asset> | undefined;

export function assets(): Map<string, Asset> {
  if (cache) return cache;
  const dir = assetsDir();
  const loaded = new Map<string, Asset>();
  for (const [name, type] of Object.entries(TYPES)) {
    const body = readFileSync(join(dir, name));
    loaded.set(name, {
      body,
      gzip: gzipSync(body, { level: 9 }),
      type,
      hash: createHash('sha256').update(body).digest('hex').slice(0, 12),
    });
  }
  cache = loaded;
  return loaded;
}

/** `/assets/app.js?v=…`: the URL pages link to. */
export function assetUrl(name: string): string {
  const asset = assets().get(name);
  if (!asset) throw new Error(`unknown asset ${name}`);
  return `/assets/${name}?v=${asset.hash}`;
}
