/**
 * The stand-in's HTTP side: the Web API under /api/<method>, the upload URLs
 * files.getUploadURLExternal hands out, the response URLs of commands and
 * actions, uploaded file contents and a JSON snapshot of the world.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parseArgs, readRawBody, uploadedBytes } from './body.js';
import type { FailureQueue } from './failures.js';
import type { Json } from './payloads/message-json.js';
import { postToResponseUrl } from './response-url.js';
import type { RecordedCall, Runtime } from './runtime.js';
import { dispatchWebApi } from './web-api/dispatch.js';
import { receiveUpload } from './web-api/files.js';

function send(response: ServerResponse, status: number, body: Json | string, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
}

export function recordCall(runtime: Runtime, call: Omit<RecordedCall, 'id' | 'at'>): RecordedCall {
  const recorded: RecordedCall = { id: runtime.calls.length + 1, at: new Date().toISOString(), ...call };
  runtime.calls.push(recorded);
  runtime.events.emit('call', recorded);
  return recorded;
}

/** Tokens never go into the record the playground shows. */
function withoutToken(args: Record<string, unknown>): Record<string, unknown> {
  const { token: _token, ...rest } = args;
  return rest;
}

async function handleWebApi(runtime: Runtime, failures: FailureQueue, method: string, request: IncomingMessage, url: URL, response: ServerResponse) {
  const raw = await readRawBody(request);
  const parsed = parseArgs(raw, request.headers['content-type'], url.searchParams);
  if ('invalid' in parsed) {
    const body = { ok: false, error: parsed.invalid };
    recordCall(runtime, { method, args: {}, status: 200, response: body, notes: [] });
    return send(response, 200, body);
  }
  const answer = dispatchWebApi(runtime, failures, method, parsed.args, request.headers.authorization);
  const status = answer.status ?? 200;
  recordCall(runtime, { method, args: withoutToken(parsed.args), status, response: answer.body, notes: answer.notes ?? [] });
  if (answer.cut) {
    response.socket?.destroy();
    return;
  }
  send(response, status, answer.body, answer.headers);
}

async function handleResponseUrl(runtime: Runtime, id: string, request: IncomingMessage, response: ServerResponse) {
  const raw = await readRawBody(request);
  let message: Json;
  try {
    const parsed = JSON.parse(raw.toString('utf8') || '{}') as unknown;
    message = typeof parsed === 'object' && parsed !== null ? (parsed as Json) : {};
  } catch {
    recordCall(runtime, { method: 'response_url', args: { raw: raw.toString('utf8') }, status: 400, response: { ok: false, error: 'invalid_json' }, notes: [] });
    return send(response, 400, { ok: false, error: 'invalid_json' });
  }
  const outcome = postToResponseUrl(runtime, id, message);
  recordCall(runtime, { method: 'response_url', args: { ...message, response_url_id: id }, status: outcome.status, response: outcome.body, notes: [] });
  send(response, outcome.status, outcome.body);
}

async function handleUpload(runtime: Runtime, fileId: string, request: IncomingMessage, response: ServerResponse) {
  const raw = await readRawBody(request);
  const bytes = uploadedBytes(raw, request.headers['content-type']);
  const outcome = receiveUpload(runtime, fileId, bytes);
  recordCall(runtime, { method: 'file_upload', args: { file_id: fileId, bytes: bytes.length }, status: outcome.status, response: { text: outcome.text }, notes: [] });
  send(response, outcome.status, outcome.text);
}

export interface ServerParts {
  runtime: Runtime;
  failures: FailureQueue;
  /** The world as JSON, for GET /snapshot. */
  snapshot: () => Json;
}

export function createStandinServer(parts: ServerParts): Server {
  const { runtime, failures } = parts;
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://standin.local');
    const path = url.pathname;
    const route = async () => {
      if (path.startsWith('/api/')) return handleWebApi(runtime, failures, path.slice('/api/'.length), request, url, response);
      if (request.method === 'POST' && path.startsWith('/response/')) return handleResponseUrl(runtime, path.slice('/response/'.length), request, response);
      if (request.method === 'POST' && path.startsWith('/upload/')) return handleUpload(runtime, path.slice('/upload/'.length), request, response);
      if (request.method === 'GET' && path.startsWith('/files/')) {
        const file = runtime.world.files.find((candidate) => candidate.id === path.slice('/files/'.length));
        return file ? send(response, 200, file.content) : send(response, 404, 'file not found');
      }
      if (request.method === 'GET' && path === '/snapshot') return send(response, 200, parts.snapshot());
      return send(response, 404, { ok: false, error: 'not_found' });
    };
    route().catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { ok: false, error: 'internal_error' });
      console.error('slack stand-in: request failed', error);
    });
  });
}
