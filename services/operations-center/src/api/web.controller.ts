import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { Controller, Get, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { HttpRequest as Request, HttpResponse as Response } from './http-types';
import { Public } from '@city/auth';
import { OPS_OPTIONS } from '../operations-center.tokens';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
};

export interface WebOptions {
  /** Folder with index.html and assets/ (default src/web beside this file). */
  readonly webRoot: string;
  /** chart.js UMD bundle from node_modules. */
  readonly chartJsFile: string;
  /** The contexts' panel scripts under assets/js/panels/, in the order of the sections. */
  readonly panels: readonly string[];
}

/** Where index.html takes the panel scripts. */
const PANELS_MARKER = '<!-- context panels -->';

/**
 * Serves the dashboard: `/` (index.html), `/assets/...` (the page's scripts and
 * styles) and `/vendor/chart.umd.js`. Only files that exist under the web root
 * at start-up are served, so no path in a URL can reach anything else.
 */
@ApiExcludeController()
@Public()
@Controller()
export class WebController {
  private readonly assets: ReadonlyMap<string, string>;
  private readonly indexHtml: string;
  /** The files as read at start-up (a few hundred kilobytes): served from memory on either HTTP adapter. */
  private readonly contents = new Map<string, Buffer>();

  constructor(@Inject(OPS_OPTIONS) private readonly options: { readonly web: WebOptions }) {
    this.assets = listFiles(join(options.web.webRoot, 'assets'));
    this.indexHtml = withPanels(readFileSync(join(options.web.webRoot, 'index.html'), 'utf8'), options.web.panels, this.assets);
  }

  @Get()
  index(@Res() res: Response): void {
    res.header('Content-Type', CONTENT_TYPES['.html']);
    res.header('Cache-Control', 'no-cache');
    res.send(this.indexHtml);
  }

  @Get('vendor/chart.umd.js')
  chartJs(@Res() res: Response): void {
    this.send(res, this.options.web.chartJsFile);
  }

  // Named segments, not a wildcard: Express and Fastify write wildcards differently. Deeper paths are never assets.
  @Get(['assets/:a', 'assets/:a/:b', 'assets/:a/:b/:c', 'assets/:a/:b/:c/:d'])
  asset(@Req() req: Request, @Res() res: Response): void {
    const path = req.url.split('?')[0];
    const file = this.assets.get(path.slice('/assets/'.length));
    if (!file) throw new NotFoundException({ statusCode: 404, error: 'not_found', message: `No asset ${path}` });
    this.send(res, file);
  }

  private send(res: Response, file: string): void {
    let content = this.contents.get(file);
    if (!content) this.contents.set(file, (content = readFileSync(file)));
    res.header('Content-Type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
    res.header('Cache-Control', 'no-cache');
    res.send(content);
  }
}

/** The page with one script tag per context panel; a panel without its file stops the start. */
function withPanels(html: string, panels: readonly string[], assets: ReadonlyMap<string, string>): string {
  const tags = panels.map((panel) => {
    const path = `js/panels/${panel}`;
    if (!assets.has(path)) throw new Error(`No dashboard panel ${path} under the web root's assets`);
    return `<script src="/assets/${path}" defer></script>`;
  });
  return html.replace(PANELS_MARKER, tags.join('\n  '));
}

/** Files under `root`, keyed by their URL path relative to it (`js/app.js`). */
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
