import { join } from 'node:path';
import { Controller, Get, NotFoundException, Param, Req, Res, type Type } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@city/auth';
import { StaticFiles, type WebRequest, type WebResponse } from './static-files';

/**
 * The kit's own assets, shared by every department's screens and the operations-center
 * dashboard: the city's base styles and the common script (token, API, refusals, formats).
 * Beside this file in the sources and in the build (swc --copy-files copies them).
 */
export const SCREENS_KIT_ROOT = join(__dirname, 'kit');

export interface ScreensOptions {
  /** Folder holding the pages (`<page>.html`) and their `assets/`. */
  readonly root: string;
  /** URL prefix the screens are served under (default `screens`): `/screens/<page>`, `/screens/assets/...`. */
  readonly route?: string;
}

/**
 * A controller serving a department's screens, the plain pages its users open in a
 * browser (a traveller's registration form, an inspector's queue, ...): `/<route>/<page>`
 * answers `<page>.html`, `/<route>/assets/...` its scripts and styles, and `/<route>/kit/...`
 * the kit's (SCREENS_KIT_ROOT), the same for every department. The pages are
 * public files; what they show comes from the service's API with the user's token, so
 * the API's access rules hold for the screens as well.
 */
export function screensController(options: ScreensOptions): Type<unknown> {
  const files = new StaticFiles(options.root);
  const kit = new StaticFiles(SCREENS_KIT_ROOT);
  const route = options.route ?? 'screens';

  @ApiExcludeController()
  @Public()
  @Controller(route)
  class ScreensController {
    @Get(':page')
    page(@Param('page') page: string, @Res() res: WebResponse): void {
      if (!/^[a-z0-9-]+$/.test(page) || !files.send(res, `${page}.html`)) throw notFound(`/${route}/${page}`);
    }

    // Named segments, not a wildcard: Express and Fastify write wildcards differently. Deeper paths are never assets.
    @Get(['assets/:a', 'assets/:a/:b', 'assets/:a/:b/:c'])
    asset(@Req() req: WebRequest, @Res() res: WebResponse): void {
      const path = req.url.split('?')[0];
      if (!files.send(res, `assets/${path.slice(`/${route}/assets/`.length)}`)) throw notFound(path);
    }

    @Get('kit/:file')
    kitAsset(@Param('file') file: string, @Res() res: WebResponse): void {
      if (!kit.send(res, file)) throw notFound(`/${route}/kit/${file}`);
    }
  }
  return ScreensController;
}

function notFound(path: string): NotFoundException {
  return new NotFoundException({ statusCode: 404, error: 'not_found', message: `No screen ${path}` });
}
