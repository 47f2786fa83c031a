import { readdirSync, statSync } from 'node:fs';
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
}

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

  constructor(@Inject(OPS_OPTIONS) private readonly options: { readonly web: WebOptions }) {
    this.assets = listFiles(join(options.web.webRoot, 'assets'));
  }

  @Get()
  index(@Res() res: Response): void {
    send(res, join(this.options.web.webRoot, 'index.html'));
  }

  @Get('vendor/chart.umd.js')
  chartJs(@Res() res: Response): void {
    send(res, this.options.web.chartJsFile);
  }

  @Get('assets/*path')
  asset(@Req() req: Request, @Res() res: Response): void {
    const file = this.assets.get(req.path.slice('/assets/'.length));
    if (!file) throw new NotFoundException({ statusCode: 404, error: 'not_found', message: `No asset ${req.path}` });
    send(res, file);
  }
}

function send(res: Response, file: string): void {
  res.setHeader('Content-Type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
  res.setHeader('Cache-Control', 'no-cache');
  res.sendFile(file);
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
