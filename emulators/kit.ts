// What every gateway emulator shares: the faults a test can inject (stall the next calls after
// processing them, fail them with a status before processing), and an HTTP(S) server that can be
// taken down (connection refused) and brought back on the same port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface Faults {
  /** The next `count` calls (to a path ending with `path`, when given) are processed, then answered after `ms`. */
  stallNext(ms: number, count?: number, path?: string): void;
  /** The next `count` calls (to `path`, when given) answer `status` without being processed. */
  failNext(status: number, count?: number, path?: string): void;
  /** The status to fail this call with, if a failure is due (and counts it). */
  takeFailure(path: string): number | null;
  /** Waits when a stall is due for this call (and counts it). */
  stall(path: string): Promise<void>;
}

export function createFaults(): Faults {
  let stall: { ms: number; count: number; path?: string } | null = null;
  let fail: { status: number; count: number; path?: string } | null = null;
  return {
    stallNext(ms, count = 1, path) {
      stall = { ms, count, ...(path ? { path } : {}) };
    },
    failNext(status, count = 1, path) {
      fail = { status, count, ...(path ? { path } : {}) };
    },
    takeFailure(path) {
      if (!fail || fail.count <= 0 || (fail.path && !path.endsWith(fail.path))) return null;
      fail.count -= 1;
      const status = fail.status;
      if (fail.count === 0) fail = null;
      return status;
    },
    async stall(path) {
      if (!stall || stall.count <= 0 || (stall.path && !path.endsWith(stall.path))) return;
      stall.count -= 1;
      const ms = stall.ms;
      if (stall.count === 0) stall = null;
      await new Promise((resolve) => setTimeout(resolve, ms));
    },
  };
}

export interface EmulatorServer {
  /** http(s)://host:port */
  origin: string;
  port: number;
  /** Stops accepting connections (callers get connection refused). */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
}

export async function serveEmulator(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  options: { port?: number; host?: string; tls?: { cert: string | Buffer; key: string | Buffer } } = {},
): Promise<EmulatorServer> {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { type: 'emulator_error', message: error instanceof Error ? error.message : 'emulator error' } }));
    });
  };
  const create = (): Server => (options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler) : createServer(handler));
  let server = create();
  const host = options.host ?? '127.0.0.1';
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
    });
  const port = await listen(options.port ?? 0);
  return {
    origin: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    down: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    async up() {
      server = create();
      await listen(port);
    },
  };
}
