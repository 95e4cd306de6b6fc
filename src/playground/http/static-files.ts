/**
 * The page's files from src/playground/web/: plain HTML, CSS and ES modules,
 * no build step. Only files under that folder with a known type are served.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** src/playground/web, also when running from dist/ (the build does not copy it; the source tree has it). */
export function webRoot(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const source = here.includes(`${sep}dist${sep}`) ? here.replace(`${sep}dist${sep}`, sep) : here;
  return join(source, '..', 'web');
}

export interface StaticFile {
  body: Buffer;
  type: string;
}

/** The file for a URL path, or null (unknown type, outside the folder, missing). */
export async function staticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath === '/' ? '/index.html' : urlPath);
  } catch {
    return null;
  }
  const type = TYPES[extname(decoded)];
  if (!type || decoded.includes('\0')) return null;
  const path = normalize(join(root, decoded));
  if (!path.startsWith(root + sep)) return null;
  try {
    return { body: await readFile(path), type };
  } catch {
    return null;
  }
}
