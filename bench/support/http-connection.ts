/**
 * A load generator's HTTP/1.1 connection: one keep-alive socket, one request at a time (each bench
 * client waits for its answer before the next command, so it needs no more). node:http's client
 * costs the load generator ~0.3–0.45 ms of CPU per request on the 2-vCPU machine the benchmarks run
 * on — CPU the engine and PostgreSQL on the same cores then lack; this one parses only what the
 * benchmarks need (status, Content-Length or chunked body) and costs a fraction of that.
 * Not a general client: no redirects, no pipelining, no 1xx, no compression.
 */
import { connect, type Socket } from 'node:net';

export interface HttpAnswer {
  status: number;
  text: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');

export class HttpConnection {
  private socket: Socket | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private pending:
    { resolve(answer: HttpAnswer): void; reject(error: Error): void; method: string } | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  request(method: string, path: string, headers: Record<string, string>, body?: string): Promise<HttpAnswer> {
    if (this.pending) return Promise.reject(new Error('HttpConnection: one request at a time'));
    const payload = body === undefined ? undefined : Buffer.from(body);
    let head = `${method} ${path} HTTP/1.1\r\nhost: ${this.host}:${this.port}\r\nconnection: keep-alive\r\n`;
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
    if (payload) head += `content-type: application/json\r\ncontent-length: ${payload.length}\r\n`;
    head += '\r\n';
    return new Promise<HttpAnswer>((resolve, reject) => {
      this.pending = { resolve, reject, method };
      const socket = this.open();
      socket.write(payload ? Buffer.concat([Buffer.from(head), payload]) : head);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private open(): Socket {
    if (this.socket) return this.socket;
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.parse();
    });
    const fail = (error: Error): void => {
      if (this.socket === socket) this.socket = undefined;
      this.buffer = Buffer.alloc(0);
      const pending = this.pending;
      this.pending = undefined;
      pending?.reject(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
    this.socket = socket;
    return socket;
  }

  /** Answers the pending request once its whole response is buffered. */
  private parse(): void {
    const pending = this.pending;
    if (!pending) return;
    const end = this.buffer.indexOf(HEADER_END);
    if (end < 0) return;
    const head = this.buffer.toString('latin1', 0, end);
    const lines = head.split('\r\n');
    const status = Number(lines[0].split(' ')[1]);
    let length: number | undefined;
    let chunked = false;
    let closes = false;
    for (let i = 1; i < lines.length; i++) {
      const colon = lines[i].indexOf(':');
      const name = lines[i].slice(0, colon).trim().toLowerCase();
      const value = lines[i]
        .slice(colon + 1)
        .trim()
        .toLowerCase();
      if (name === 'content-length') length = Number(value);
      else if (name === 'transfer-encoding') chunked = value.includes('chunked');
      else if (name === 'connection') closes = value === 'close';
    }
    const start = end + HEADER_END.length;
    let body: Buffer;
    let consumed: number;
    if (pending.method === 'HEAD' || status === 204 || status === 304) {
      body = Buffer.alloc(0);
      consumed = start;
    } else if (chunked) {
      const decoded = decodeChunked(this.buffer, start);
      if (!decoded) return;
      ({ body, consumed } = decoded);
    } else if (length !== undefined) {
      if (this.buffer.length < start + length) return;
      body = this.buffer.subarray(start, start + length);
      consumed = start + length;
    } else {
      throw new Error('HttpConnection: a response without Content-Length or chunked body');
    }
    const text = body.toString('utf8');
    this.buffer = this.buffer.subarray(consumed);
    this.pending = undefined;
    if (closes) this.close();
    pending.resolve({ status, text });
  }
}

/** A chunked body fully buffered from `start`, or undefined while more is to come. */
function decodeChunked(buffer: Buffer, start: number): { body: Buffer; consumed: number } | undefined {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(buffer.toString('latin1', at, lineEnd), 16);
    const dataStart = lineEnd + 2;
    if (buffer.length < dataStart + size + 2) return undefined;
    if (size === 0) return { body: Buffer.concat(parts), consumed: dataStart + 2 };
    parts.push(buffer.subarray(dataStart, dataStart + size));
    at = dataStart + size + 2;
  }
}
