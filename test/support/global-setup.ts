/**
 * Finds a Redis for the suite, once: REDIS_URL when set, else 127.0.0.1:6379
 * when it answers, else a private redis-server from PATH on a free port
 * (stopped at the end). With none of these the suite stops and says how to
 * get one. Tests read the chosen URL from process.env.TEST_REDIS_URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, Socket } from 'node:net';

/** Whether a Redis answers PING on host:port within half a second. */
export function answersPing(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

let privateServer: ChildProcess | undefined;

export default async function setup(): Promise<() => Promise<void>> {
  let url = process.env.REDIS_URL;
  if (!url && (await answersPing('127.0.0.1', 6379))) url = 'redis://127.0.0.1:6379';
  if (!url) {
    const port = await freePort();
    privateServer = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    const started = await new Promise<boolean>((resolve) => {
      privateServer!.once('error', () => resolve(false));
      const deadline = Date.now() + 5000;
      const poll = async () => {
        if (await answersPing('127.0.0.1', port)) return resolve(true);
        if (Date.now() > deadline) return resolve(false);
        setTimeout(poll, 50);
      };
      void poll();
    });
    if (!started) {
      throw new Error(
        'The tests need Redis: set REDIS_URL, run one on 127.0.0.1:6379, or install redis-server (Debian: apt-get install redis-server).',
      );
    }
    url = `redis://127.0.0.1:${port}`;
  }
  process.env.TEST_REDIS_URL = url;
  return async () => {
    privateServer?.kill('SIGTERM');
  };
}
