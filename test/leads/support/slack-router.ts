/**
 * Slack's Web API for several workspaces at one address, as Slack serves
 * them: each call goes to the workspace whose bot token it carries (here,
 * that workspace's stand-in). It also answers `oauth.v2.access`, the one
 * call of the OAuth install flow the stand-ins do not serve, by handing out
 * the token of the workspace a code was issued for, in Slack's response
 * shape. Test support only.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Standin } from '../../support/app-harness.js';

export interface RoutedWorkspace {
  slack: Standin;
  teamId: string;
  teamName: string;
  botUserId: string;
  installerUserId: string;
}

export interface SlackRouter {
  apiUrl: string;
  /** A one-time code, as Slack puts in the redirect after a person approves the install in this workspace. */
  issueCode(teamId: string): string;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function tokenOf(req: IncomingMessage, body: Buffer): string | undefined {
  const header = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (header) return header;
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/x-www-form-urlencoded')) return new URLSearchParams(body.toString('utf8')).get('token') ?? undefined;
  if (type.includes('application/json')) {
    try {
      const parsed = JSON.parse(body.toString('utf8')) as { token?: unknown };
      return typeof parsed.token === 'string' ? parsed.token : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export async function startSlackRouter(workspaces: RoutedWorkspace[], scopes: readonly string[]): Promise<SlackRouter> {
  const codes = new Map<string, RoutedWorkspace>();
  let issued = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (method === 'oauth.v2.access') {
        const code = new URLSearchParams(body.toString('utf8')).get('code') ?? '';
        const workspace = codes.get(code);
        codes.delete(code);
        if (!workspace) return reply(200, { ok: false, error: 'invalid_code' });
        return reply(200, {
          ok: true,
          app_id: 'A0APP',
          authed_user: { id: workspace.installerUserId },
          scope: scopes.join(','),
          token_type: 'bot',
          access_token: workspace.slack.botToken,
          bot_user_id: workspace.botUserId,
          team: { id: workspace.teamId, name: workspace.teamName },
          enterprise: null,
          is_enterprise_install: false,
        });
      }
      const token = tokenOf(req, body);
      const workspace = workspaces.find((candidate) => candidate.slack.botToken === token);
      if (!workspace) return reply(200, { ok: false, error: token ? 'invalid_auth' : 'not_authed' });
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'authorization']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const answer = await fetch(`${workspace.slack.apiUrl}${method}`, { method: req.method ?? 'POST', headers, body: req.method === 'GET' ? undefined : new Uint8Array(body) });
      const out: Record<string, string> = { 'content-type': answer.headers.get('content-type') ?? 'application/json' };
      const retryAfter = answer.headers.get('retry-after');
      if (retryAfter) out['retry-after'] = retryAfter;
      res.writeHead(answer.status, out);
      res.end(Buffer.from(await answer.arrayBuffer()));
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    issueCode(teamId) {
      const workspace = workspaces.find((candidate) => candidate.teamId === teamId);
      if (!workspace) throw new Error(`no workspace ${teamId}`);
      issued += 1;
      const code = `code-${teamId}-${issued}`;
      codes.set(code, workspace);
      return code;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
