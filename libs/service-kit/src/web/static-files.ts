import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { IncomingMessage } from 'node:http';

/** The parts of a request and a response a page controller uses, common to Express and Fastify. */
export interface WebRequest extends IncomingMessage {
  url: string;
}

export interface WebResponse {
  header(name: string, value: string): unknown;
  send(body: string | Buffer): unknown;
}

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

/**
 * The files of a web folder as found at start-up, keyed by their URL path relative to
 * the folder (`js/app.js`). Only those files are ever served, so no path in a URL can
 * reach anything else; contents are read once and served from memory on either adapter.
 */
export class StaticFiles {
  private readonly files: ReadonlyMap<string, string>;
  private readonly contents = new Map<string, Buffer>();

  constructor(readonly root: string) {
    this.files = listFiles(root);
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  /** Sends the file at `path` (relative to the root); false when there is none. */
  send(res: WebResponse, path: string): boolean {
    const file = this.files.get(path);
    if (file === undefined) return false;
    sendFile(res, file, this.contents);
    return true;
  }
}

/** Sends a file found at start-up (not a path from a URL), caching its content in `cache`. */
export function sendFile(res: WebResponse, file: string, cache: Map<string, Buffer>): void {
  let content = cache.get(file);
  if (!content) cache.set(file, (content = readFileSync(file)));
  res.header('Content-Type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
  res.header('Cache-Control', 'no-cache');
  res.send(content);
}

function listFiles(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (CONTENT_TYPES[extname(name)] && !name.endsWith('.ts')) files.set(relative(root, path).split(sep).join('/'), path);
    }
  };
  walk(root);
  return files;
}
