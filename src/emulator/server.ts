import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type RateLimit, TokenBucket } from '../shared/token-bucket.js';
import { type FaultOptions, FaultPlan, NO_FAULTS } from './faults.js';
import type { EmuContext, EmuRequest, EmuResponse, MatchedRoute } from './route.js';
import { json } from './route.js';
import { matchGreenApiInstance } from './routes/green-api.js';
import { matchGreenApiPartner } from './routes/green-api-partner.js';
import { matchTwoChat } from './routes/two-chat.js';
import { matchWabotify } from './routes/wabotify.js';
import type { EmulatorState } from './state.js';
import { World } from './world.js';

export interface EmulatorOptions {
  readonly state: EmulatorState;
  /** 0 (default) picks a free port. The emulator only ever binds 127.0.0.1. */
  readonly port?: number;
  readonly latencyMs?: number;
  readonly faults?: Partial<FaultOptions>;
  /**
   * Overrides of the providers' published limits, by limit name (a GREEN-API method such as
   * `deleteContact`, `2chat`, a Wabotify operation, or `*` for every one). `'off'` disables one.
   */
  readonly rateLimits?: Readonly<Record<string, RateLimit | 'off'>>;
  /** Fixes the clock (ISO time); else the state's `now`; else real time. */
  readonly now?: string;
  /** Most request-log entries kept (oldest dropped first). */
  readonly maxLogEntries?: number;
  /** Milliseconds for the rate limiter (default `performance.now`); tests share a fake clock with the client. */
  readonly limiterClock?: () => number;
}

/** One line of the request log. Paths never hold a token. */
export interface RequestLogEntry {
  readonly seq: number;
  readonly time: string;
  readonly provider: MatchedRoute['provider'] | 'unknown';
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly connection: number;
  readonly fault?: 'error' | 'drop' | 'throttle' | 'rate-limit';
}

export interface RunningEmulator {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  readonly world: () => World;
  readonly requests: () => readonly RequestLogEntry[];
  readonly connections: () => number;
  reset(): void;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Starts the emulator on 127.0.0.1 and resolves once it is listening. */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const initial = structuredClone(options.state);
  const fixedNow = options.now ?? initial.now;
  let world = new World(initial);
  const faults = new FaultPlan({ ...NO_FAULTS, ...options.faults });
  const buckets = new Map<string, TokenBucket>();
  const log: RequestLogEntry[] = [];
  const maxLog = options.maxLogEntries ?? 200_000;
  let seq = 0;
  let connections = 0;
  const socketIds = new WeakMap<Socket, number>();
  const clock = (): Date => (fixedNow ? new Date(fixedNow) : new Date());
  const context = (): EmuContext => ({ world, now: clock });

  const record = (entry: Omit<RequestLogEntry, 'seq' | 'time'>): void => {
    log.push({ seq: ++seq, time: new Date().toISOString(), ...entry });
    if (log.length > maxLog) log.splice(0, log.length - maxLog);
  };

  const limitFor = (route: MatchedRoute): RateLimit | undefined => {
    const o = options.rateLimits?.[route.limitName] ?? options.rateLimits?.['*'];
    if (o === 'off') return undefined;
    return o ?? route.defaultLimit;
  };

  const rateLimited = (route: MatchedRoute): number | undefined => {
    const limit = limitFor(route);
    if (!limit) return undefined;
    const now = (options.limiterClock ?? performance.now.bind(performance))();
    let bucket = buckets.get(route.bucket);
    if (!bucket) {
      bucket = new TokenBucket(limit.perSecond, limit.burst, now);
      buckets.set(route.bucket, bucket);
    }
    const took = bucket.take(now);
    return took.ok ? undefined : took.waitMs;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const connection = req.socket ? (socketIds.get(req.socket) ?? 0) : 0;
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/__emulator/')) return send(res, adminRoute(method, url.pathname));
    if (body === undefined) return send(res, json(413, { message: 'request body too large' }));
    const emuReq: EmuRequest = { method, path: url.pathname, query: url.searchParams, headers: req.headers, body };
    const route =
      matchGreenApiInstance(url.pathname) ??
      matchGreenApiPartner(url.pathname) ??
      matchWabotify(url.pathname, req.headers) ??
      matchTwoChat(url.pathname, method, req.headers, context());
    if (!route) {
      record({ provider: 'unknown', operation: 'unknown', method, path: '(unmatched path)', status: 404, connection });
      return send(res, { status: 404, text: 'Not Found' });
    }
    const base = { provider: route.provider, operation: route.operation, method, path: route.redactedPath, connection };
    const { fault, extraLatencyMs } = faults.next(`${method} ${route.redactedPath}`);
    const delay = (options.latencyMs ?? 0) + extraLatencyMs;
    if (delay > 0) await sleep(delay);
    if (fault.kind === 'error') {
      record({ ...base, status: fault.status, fault: 'error' });
      return send(res, {
        status: fault.status,
        text: fault.status === 500 ? 'Internal Server Error' : '<html><body>502 Bad Gateway</body></html>',
      });
    }
    if (fault.kind === 'throttle') {
      record({ ...base, status: 429, fault: 'throttle' });
      return send(res, {
        status: 429,
        text: 'Too Many Requests',
        ...(route.retryAfter === false ? {} : { headers: { 'retry-after': '1' } }),
      });
    }
    const waitMs = rateLimited(route);
    if (waitMs !== undefined) {
      record({ ...base, status: 429, fault: 'rate-limit' });
      const retryAfter =
        route.retryAfter === false ? {} : { headers: { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) } };
      return send(res, { status: 429, text: 'Too Many Requests', ...retryAfter });
    }
    const answer = route.handle(emuReq, context());
    if (fault.kind === 'drop') {
      record({ ...base, status: answer.status, fault: 'drop' });
      return dropMidResponse(res, answer);
    }
    record({ ...base, status: answer.status });
    return send(res, answer);
  }

  function adminRoute(method: string, path: string): EmuResponse {
    if (method === 'GET' && path === '/__emulator/state') return json(200, world.snapshot());
    if (method === 'GET' && path === '/__emulator/requests') return json(200, log);
    if (method === 'GET' && path === '/__emulator/stats') return json(200, { connections, requests: seq });
    if (method === 'POST' && path === '/__emulator/reset') {
      resetAll();
      return json(200, { reset: true });
    }
    return json(404, { message: `no emulator endpoint ${method} ${path}` });
  }

  function resetAll(): void {
    world = new World(initial);
    faults.reset();
    buckets.clear();
    log.length = 0;
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, json(500, { message: `emulator error: ${String(err)}` }));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket: Socket) => socketIds.set(socket, ++connections));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    world: () => world,
    requests: () => log,
    connections: () => connections,
    reset: resetAll,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function encode(answer: EmuResponse): { type: string; payload: Buffer } {
  return 'json' in answer
    ? { type: 'application/json', payload: Buffer.from(JSON.stringify(answer.json)) }
    : { type: 'text/plain; charset=utf-8', payload: Buffer.from(answer.text) };
}

function send(res: ServerResponse, answer: EmuResponse): void {
  const { type, payload } = encode(answer);
  res.writeHead(answer.status, { 'content-type': type, 'content-length': payload.length, ...answer.headers });
  res.end(payload);
}

/** Sends the headers and half the body, then cuts the connection: the work was done, the answer lost. */
function dropMidResponse(res: ServerResponse, answer: EmuResponse): void {
  const { type, payload } = encode(answer);
  res.writeHead(answer.status, { 'content-type': type, 'content-length': payload.length, ...answer.headers });
  res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => res.socket?.destroy());
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
