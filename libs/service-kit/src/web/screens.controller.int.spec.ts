import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { HTTP_ADAPTERS } from '../app/http-platform';
import { createHttpTestApp, type TestApp } from '../app/testing/http-test-app';
import { screensController } from './screens.controller';

const root = mkdtempSync(join(tmpdir(), 'screens-'));
mkdirSync(join(root, 'assets', 'js'), { recursive: true });
writeFileSync(join(root, 'register.html'), '<!doctype html><title>登记 Registration</title>');
writeFileSync(join(root, 'assets', 'js', 'register.js'), 'console.log(1);');
writeFileSync(join(root, 'assets', 'notes.txt'), 'not a web file');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.each(HTTP_ADAPTERS)('screens on %s', (httpAdapter) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createHttpTestApp({ httpAdapter, extraControllers: [screensController({ root })] });
  });
  afterAll(() => t.app.close());
  const http = () => request(t.app.getHttpServer());

  it('serves a page by its name, as HTML', async () => {
    const res = await http().get('/screens/register').expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('登记 Registration');
  });

  it('serves the assets found at start-up with their content type', async () => {
    const res = await http().get('/screens/assets/js/register.js').expect(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.text).toBe('console.log(1);');
  });

  it.each([
    ['screens.css', 'text/css; charset=utf-8', '--accent'],
    ['screens.js', 'text/javascript; charset=utf-8', 'window.CityKit'],
  ])('serves the kit at /screens/kit/%s, the same for every department', async (file, type, content) => {
    const res = await http().get(`/screens/kit/${file}`).expect(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.text).toContain(content);
  });

  it("serves the kit under a department's own route", async () => {
    const other = await createHttpTestApp({ httpAdapter, extraControllers: [screensController({ root, route: 'desk' })] });
    try {
      await request(other.app.getHttpServer()).get('/desk/kit/screens.js').expect(200);
      await request(other.app.getHttpServer()).get('/screens/kit/screens.js').expect(404);
    } finally {
      await other.app.close();
    }
  });

  it.each([
    '/screens/missing',
    '/screens/kit/missing.js',
    '/screens/kit/..%2Fscreens.controller.ts',
    '/screens/kit/js/screens.js',
    '/screens/register.html',
    '/screens/assets/notes.txt',
    '/screens/assets/..%2Fregister.html',
    '/screens/%2E%2E',
  ])('answers 404 for %s', async (path) => {
    const res = await http().get(path).expect(404);
    expect(res.text).not.toContain('<title>');
  });
});
