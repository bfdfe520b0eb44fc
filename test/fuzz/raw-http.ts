/**
 * A bare HTTP/1.1 client over a socket: the fuzz suite must send what fetch and node:http refuse to
 * (control bytes in header values, invalid UTF-8 in a path or body, a body larger than it claims), and
 * must survive a response far larger than it should be without keeping it all.
 */
import { connect } from 'node:net';

export interface RawRequest {
  method: string;
  /** the request target as sent: already percent-encoded (or deliberately not) */
  path: string;
  /** header values are written as given: a string as UTF-8, a Buffer byte for byte */
  headers: [string, string | Buffer][];
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** the (de-chunked) body, at most `keep` bytes of it */
  body: Buffer;
  /** body bytes received in all (counted up to the reading limit) */
  size: number;
  /** the response was longer than the reading limit and the socket was cut */
  cut: boolean;
  ms: number;
}

const KEEP_BYTES = 256 * 1024;
const READ_LIMIT = 8 * 1024 * 1024;

/** Sends one request on a fresh connection (Connection: close) and reads the whole response. */
export function rawRequest(base: URL, req: RawRequest, timeoutMs = 30_000): Promise<RawResponse> {
  const started = performance.now();
  const head: Buffer[] = [
    Buffer.from(`${req.method} ${req.path} HTTP/1.1\r\nHost: ${base.host}\r\n`, 'utf8'),
  ];
  for (const [name, value] of req.headers) {
    head.push(
      Buffer.from(`${name}: `, 'utf8'),
      typeof value === 'string' ? Buffer.from(value, 'utf8') : value,
    );
    head.push(Buffer.from('\r\n'));
  }
  if (req.body !== undefined) head.push(Buffer.from(`Content-Length: ${req.body.length}\r\n`));
  head.push(Buffer.from('Connection: close\r\n\r\n'));
  const payload = Buffer.concat(req.body ? [...head, req.body] : head);

  return new Promise((resolve, reject) => {
    const socket = connect({ host: base.hostname, port: Number(base.port) });
    const chunks: Buffer[] = [];
    let received = 0;
    let cut = false;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const data = Buffer.concat(chunks);
      const parsed = data.length > 0 ? parseResponse(data, cut) : undefined;
      if (parsed) resolve({ ...parsed, ms: performance.now() - started });
      else reject(error ?? new Error('the connection closed without a response'));
    };
    const timer = setTimeout(() => finish(new Error(`no complete response in ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > READ_LIMIT) {
        cut = true;
        finish();
        return;
      }
      chunks.push(chunk);
    });
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    // The server may answer (413, 400) and close before the whole body is written: keep what came.
    socket.on('error', (error) => finish(error));
    socket.write(payload);
  });
}

function parseResponse(data: Buffer, cut: boolean): Omit<RawResponse, 'ms'> | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const lines = data.subarray(0, end).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!status) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = data.subarray(end + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  // whatever follows the declared length is another answer on the same connection (to leftover bytes)
  else if (/^\d+$/.test(headers['content-length'] ?? ''))
    body = body.subarray(0, Number(headers['content-length']));
  return { status: Number(status[1]), headers, body: body.subarray(0, KEEP_BYTES), size: body.length, cut };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
