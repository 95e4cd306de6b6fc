/**
 * The playground's web server: the page, the world (GET /api/world and the
 * live stream GET /api/events), uploaded files (GET /api/files/<id>) and
 * the person's actions (POST /api/act). It listens on 127.0.0.1 unless told
 * otherwise, and while it does it answers only requests addressed to a
 * loopback name, so another web site cannot drive it through the browser.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../logger.js';
import type { SlackStandin } from '../../standin/slack/index.js';
import { ActRefused, actSchema, describeIssues, performAct } from './act.js';
import { BodyTooLarge, readBody, sendJson, sendText } from './respond.js';
import { staticFile, webRoot } from './static-files.js';
import { createWorldStream } from './world-stream.js';

/** What the page shows about the playground itself. */
export interface PlaygroundInfo {
  store: string;
  model: string;
  reviewChannel: string;
  leadsChannel: string;
  defaultPerson: string;
  commands: readonly string[];
}

export interface WebServerOptions {
  slack: SlackStandin;
  info: PlaygroundInfo;
  logger: Logger;
  host: string;
  port: number;
  root?: string;
}

export interface WebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const ACT_BODY_LIMIT = 256 * 1024;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export class PortInUseError extends Error {}

function hostAllowed(req: IncomingMessage, boundHost: string): boolean {
  if (!LOOPBACK.has(boundHost)) return true;
  const host = req.headers.host ?? '';
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  return LOOPBACK.has(name);
}

async function handleAct(options: WebServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Browsers send JSON across sites only after a CORS preflight this server never grants.
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    return sendJson(res, 415, { ok: false, error: 'Send the action as application/json' });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await readBody(req, ACT_BODY_LIMIT));
  } catch (error) {
    if (error instanceof BodyTooLarge) return sendJson(res, 413, { ok: false, error: error.message });
    return sendJson(res, 400, { ok: false, error: 'The body is not valid JSON' });
  }
  const parsed = actSchema.safeParse(raw);
  if (!parsed.success) return sendJson(res, 400, { ok: false, error: describeIssues(parsed.error) });
  try {
    sendJson(res, 200, await performAct(options.slack, parsed.data));
  } catch (error) {
    if (error instanceof ActRefused) return sendJson(res, 400, { ok: false, error: error.message });
    throw error;
  }
}

function handleFile(slack: SlackStandin, id: string, res: ServerResponse): void {
  const file = slack.world.files.find((candidate) => candidate.id === id);
  if (!file) return sendText(res, 404, 'No such file');
  const safeName = file.name.replace(/[^\w.-]+/g, '_') || 'file.txt';
  // Served as plain text and as an attachment, so a report can never run as a page.
  sendText(res, 200, file.content, { 'content-disposition': `attachment; filename="${safeName}"`, 'x-content-type-options': 'nosniff' });
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const root = options.root ?? webRoot();
  const payload = () => ({ world: options.slack.snapshot(), playground: options.info });
  const stream = createWorldStream(options.slack, { payload });

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://playground.invalid');
    if (!hostAllowed(req, options.host)) return sendText(res, 403, 'The playground answers only on localhost');
    if (req.method === 'POST' && url.pathname === '/api/act') return handleAct(options, req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed');
    if (url.pathname === '/api/world') return sendJson(res, 200, payload());
    if (url.pathname === '/api/events') return stream.attach(res);
    const file = url.pathname.match(/^\/api\/files\/(F[A-Z0-9]+)$/);
    if (file) return handleFile(options.slack, file[1]!, res);
    const asset = await staticFile(root, url.pathname);
    if (!asset) return sendText(res, 404, 'Not found');
    res.writeHead(200, { 'content-type': asset.type, 'content-length': asset.body.length, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  };

  const server: Server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      options.logger.error({ err: error instanceof Error ? { message: error.message, stack: error.stack } : error }, 'Playground request failed');
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'The playground failed to handle that; see the terminal' });
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(`port ${options.port} on ${options.host} is in use: set PLAYGROUND_PORT to a free port`) : error),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = options.host === '127.0.0.1' || options.host === '0.0.0.0' ? 'localhost' : options.host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: async () => {
      stream.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
