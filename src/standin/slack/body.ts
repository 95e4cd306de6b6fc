/**
 * Reading request bodies the way Slack's API accepts them: JSON,
 * form-encoded, multipart (file uploads) or query parameters.
 */
import type { IncomingMessage } from 'node:http';

export async function readRawBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

export type ParsedArgs = { args: Record<string, unknown> } | { invalid: string };

/** Arguments of a Web API call: the query string merged with a JSON or form body. */
export function parseArgs(raw: Buffer, contentType: string | undefined, query: URLSearchParams): ParsedArgs {
  const args: Record<string, unknown> = Object.fromEntries(query.entries());
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (raw.length === 0) return { args };
  if (type === 'application/json') {
    try {
      const parsed = JSON.parse(raw.toString('utf8')) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { invalid: 'invalid_json' };
      return { args: { ...args, ...(parsed as Record<string, unknown>) } };
    } catch {
      return { invalid: 'invalid_json' };
    }
  }
  if (type === 'multipart/form-data') {
    for (const part of multipartParts(raw, contentType ?? '')) {
      if (part.name && !part.filename) args[part.name] = part.data.toString('utf8');
    }
    return { args };
  }
  return { args: { ...args, ...Object.fromEntries(new URLSearchParams(raw.toString('utf8')).entries()) } };
}

export interface MultipartPart {
  name?: string;
  filename?: string;
  data: Buffer;
}

/** A small multipart/form-data reader: enough for one or a few fields. */
export function multipartParts(raw: Buffer, contentType: string): MultipartPart[] {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2];
  if (!boundary) return [];
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let start = raw.indexOf(delimiter);
  while (start >= 0) {
    const contentStart = start + delimiter.length;
    // "--" right after a delimiter closes the body.
    if (raw.subarray(contentStart, contentStart + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, contentStart);
    if (next < 0) break;
    const section = raw.subarray(contentStart + 2, next - 2); // drop CRLF after delimiter and before the next one
    const headerEnd = section.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = section.subarray(0, headerEnd).toString('utf8');
      const name = /(?:^|[;\s])name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      parts.push({ ...(name !== undefined ? { name } : {}), ...(filename !== undefined ? { filename } : {}), data: section.subarray(headerEnd + 4) });
    }
    start = next;
  }
  return parts;
}

/** The file bytes of an upload: the multipart file part, or the raw body. */
export function uploadedBytes(raw: Buffer, contentType: string | undefined): Buffer {
  if (!(contentType ?? '').toLowerCase().startsWith('multipart/form-data')) return raw;
  const parts = multipartParts(raw, contentType ?? '');
  const file = parts.find((part) => part.filename !== undefined) ?? parts[0];
  return file ? file.data : raw;
}
