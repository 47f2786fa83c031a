import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Inject, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { HttpRequest as Request, HttpResponse as Response } from './http-types';
import { Public } from '@city/auth';
import { CONTENT_TYPES, SCREENS_KIT_ROOT, sendFile, StaticFiles } from '@city/service-kit';
import { OPS_OPTIONS } from '../operations-center.tokens';

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
 * styles), `/kit/...` (the base styles and script the departments' screens share,
 * from @city/service-kit) and `/vendor/chart.umd.js`. Only files that exist under the web root
 * at start-up are served, so no path in a URL can reach anything else.
 */
@ApiExcludeController()
@Public()
@Controller()
export class WebController {
  private readonly assets: StaticFiles;
  private readonly kit = new StaticFiles(SCREENS_KIT_ROOT);
  private readonly indexHtml: string;
  private readonly vendor = new Map<string, Buffer>();

  constructor(@Inject(OPS_OPTIONS) private readonly options: { readonly web: WebOptions }) {
    this.assets = new StaticFiles(join(options.web.webRoot, 'assets'));
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
    sendFile(res, this.options.web.chartJsFile, this.vendor);
  }

  @Get('kit/:file')
  kitAsset(@Param('file') file: string, @Res() res: Response): void {
    if (!this.kit.send(res, file)) throw new NotFoundException({ statusCode: 404, error: 'not_found', message: `No asset /kit/${file}` });
  }

  // Named segments, not a wildcard: Express and Fastify write wildcards differently. Deeper paths are never assets.
  @Get(['assets/:a', 'assets/:a/:b', 'assets/:a/:b/:c', 'assets/:a/:b/:c/:d'])
  asset(@Req() req: Request, @Res() res: Response): void {
    const path = req.url.split('?')[0];
    if (!this.assets.send(res, path.slice('/assets/'.length)))
      throw new NotFoundException({ statusCode: 404, error: 'not_found', message: `No asset ${path}` });
  }
}

/** The page with one script tag per context panel; a panel without its file stops the start. */
function withPanels(html: string, panels: readonly string[], assets: StaticFiles): string {
  const tags = panels.map((panel) => {
    const path = `js/panels/${panel}`;
    if (!assets.has(path)) throw new Error(`No dashboard panel ${path} under the web root's assets`);
    return `<script src="/assets/${path}" defer></script>`;
  });
  return html.replace(PANELS_MARKER, tags.join('\n  '));
}
