import { PassThrough } from 'node:stream';
import request from 'supertest';
import type { RecordedEvent } from '@city/eventsourcing';
import { HTTP_ADAPTERS } from '@city/service-kit';
import { PgliteDatabase } from '@city/sql';
import { canvassReadModel } from '../contexts/canvass/canvass-read-model';
import type { CanvassFigures } from '../contexts/canvass/canvass-figures';
import type { DistrictOverview } from '../read-model/operations-read-model';
import { subdistrictRegistered, unitRef, unitRegistered, visitRecorded } from '../testing/canvass-events';
import { eventually, SseClient } from '@city/testing';
import { contextProjections } from '../testing/context-projections';
import { startOpsTestApp, type OpsTestApp } from '../testing/test-app';

const CHANGNING = '310105';

// The same answers, stream, files and documents on both HTTP adapters the kit offers.
describe.each(HTTP_ADAPTERS)('operations-center query API (PGlite, in-process HTTP over %s)', (httpAdapter) => {
  let db: PgliteDatabase;
  let t: OpsTestApp;
  const projections = contextProjections(canvassReadModel());
  const apply = (events: readonly RecordedEvent[]) => projections.apply(db, events);
  const office = unitRef('office-a', 'office-building', CHANGNING);
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  // PGlite compiling its WASM build and the Nest app starting: seconds when idle, a minute or more on a loaded machine.
  beforeAll(async () => {
    db = new PgliteDatabase();
    t = await startOpsTestApp(db, { liveCoalesceMs: 20, httpAdapter });
    await apply([unitRegistered(office, '2026-02-01T09:00:00+08:00'), visitRecorded(office, '2026-02-10T09:00:00+08:00', { returnedFromOutside: 4 })]);
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await db.close();
  });

  it('answers the city overview for the city center, with all 16 districts', async () => {
    const res = await request(t.url).get('/api/city/overview').query({ asOf: '2026-02-10T12:00:00+08:00' }).set(bearer(t.tokens.cityCenter)).expect(200);
    expect(res.body.live).toBe(false);
    expect(res.body.day).toBe('2026-02-10');
    expect(res.body.districts).toHaveLength(16);
    expect(res.body.city.canvass.returnedFromOutside).toEqual({ today: 4, total: 4 });
    expect(res.body.districts[2]).toMatchObject({ district: { code: CHANGNING, name: 'Changning', nameZh: '长宁区' } });
  });

  it('lets a district token read its own district', async () => {
    const res = await request(t.url)
      .get(`/api/districts/${CHANGNING}/overview`)
      .query({ asOf: '2026-02-10T12:00:00+08:00' })
      .set(bearer(t.tokens.changningStaff))
      .expect(200);
    expect(res.body.figures.canvass.units).toMatchObject({ active: 1, canvassedToday: 1, coverageToday: 1 });
    await request(t.url).get(`/api/districts/${CHANGNING}/subdistricts`).set(bearer(t.tokens.changningStaff)).expect(200);
    await request(t.url).get('/api/series').query({ district: CHANGNING, days: 7 }).set(bearer(t.tokens.changningStaff)).expect(200);
    const sub = await request(t.url)
      .get('/api/series')
      .query({ district: CHANGNING, subdistrict: `${CHANGNING}001`, days: 7 })
      .set(bearer(t.tokens.changningStaff))
      .expect(200);
    expect(sub.body.subdistrict.code).toBe(`${CHANGNING}001`);
    expect(sub.body.days).toHaveLength(7);
  });

  it('lists every subdistrict of the city with its district, for city-wide tokens only', async () => {
    const res = await request(t.url).get('/api/city/subdistricts').query({ asOf: '2026-02-10T12:00:00+08:00' }).set(bearer(t.tokens.cityCenter)).expect(200);
    expect(res.body).toMatchObject({ live: false, day: '2026-02-10' });
    const row = res.body.subdistricts.find((s: { code: string }) => s.code === `${CHANGNING}001`);
    expect(row).toMatchObject({ district: CHANGNING, figures: { canvass: { units: { active: 1, canvassedToday: 1, coverageToday: 1 } } } });
    await request(t.url).get('/api/city/subdistricts').set(bearer(t.tokens.changningStaff)).expect(403);
  });

  it('refuses a district token another district and the city (403)', async () => {
    const other = await request(t.url).get('/api/districts/310107/overview').set(bearer(t.tokens.changningStaff)).expect(403);
    expect(other.body.reason).toBe('other_district');
    await request(t.url).get('/api/city/overview').set(bearer(t.tokens.changningStaff)).expect(403);
    await request(t.url).get('/api/series').set(bearer(t.tokens.changningStaff)).expect(403);
    await request(t.url).get(`/api/districts/${CHANGNING}/subdistricts`).set(bearer(t.tokens.putuoStaff)).expect(403);
    await request(t.url)
      .get('/api/series')
      .query({ district: CHANGNING, subdistrict: `${CHANGNING}001` })
      .set(bearer(t.tokens.putuoStaff))
      .expect(403);
  });

  it('asks for a token (401)', async () => {
    await request(t.url).get('/api/city/overview').expect(401);
    await request(t.url).get('/api/stream').expect(401);
  });

  it.each([
    ['not a date', 'yesterday'],
    ['no offset', '2026-02-10T09:00:00'],
    ['impossible date', '2026-02-30T09:00:00+08:00'],
    ['in the future', '2999-01-01T00:00:00Z'],
  ])('answers 400 with a reason for a bad asOf (%s)', async (_, asOf) => {
    const res = await request(t.url).get('/api/city/overview').query({ asOf }).set(bearer(t.tokens.cityCenter)).expect(400);
    expect(res.body.error).toBe('invalid');
    expect(res.body.fields.asOf[0]).toEqual(expect.any(String));
  });

  const AS_OF_ENDPOINTS = [
    '/api/city/overview',
    '/api/city/subdistricts',
    `/api/districts/${CHANGNING}/overview`,
    `/api/districts/${CHANGNING}/subdistricts`,
    '/api/city/districts.csv',
    `/api/districts/${CHANGNING}/subdistricts.csv`,
  ];

  it.each(AS_OF_ENDPOINTS)('answers 400 naming the range, never 500, for years 0000 to 0099 and before 1970 on %s', async (path) => {
    for (const asOf of ['0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '0099-01-01T00:00:00+08:00', '1969-12-31T23:59:59Z']) {
      const res = await request(t.url).get(path).query({ asOf }).set(bearer(t.tokens.cityCenter));
      expect({ asOf, status: res.status, field: res.body.fields?.asOf }).toEqual({
        asOf,
        status: 400,
        field: ['must lie between 1970-01-01T00:00:00Z and now'],
      });
    }
    await request(t.url).get(path).query({ asOf: '1970-01-01T00:00:00Z' }).set(bearer(t.tokens.cityCenter)).expect(200);
  });

  it('answers 400 for an unknown district code or bad series days', async () => {
    const res = await request(t.url).get('/api/districts/999999/overview').set(bearer(t.tokens.cityCenter)).expect(400);
    expect(res.body.fields.code).toBeDefined();
    await request(t.url).get('/api/series').query({ district: 'x' }).set(bearer(t.tokens.cityCenter)).expect(400);
    await request(t.url).get('/api/series').query({ days: 0 }).set(bearer(t.tokens.cityCenter)).expect(400);
    await request(t.url).get('/api/series').query({ days: 'many' }).set(bearer(t.tokens.cityCenter)).expect(400);
    const alone = await request(t.url)
      .get('/api/series')
      .query({ subdistrict: `${CHANGNING}001` })
      .set(bearer(t.tokens.cityCenter))
      .expect(400);
    expect(alone.body.fields.district).toBeDefined();
    const outside = await request(t.url)
      .get('/api/series')
      .query({ district: CHANGNING, subdistrict: '310107001' })
      .set(bearer(t.tokens.cityCenter))
      .expect(400);
    expect(outside.body.fields.subdistrict).toBeDefined();
  });

  describe('CSV export', () => {
    /** Parses the CSV the API sends (no quoted line breaks in these tables). */
    const parseCsv = (text: string) =>
      text
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n')
        .map((line) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1].replace(/^"|"$/g, '').replace(/""/g, '"')));

    beforeAll(async () => {
      // A name from a registration that a spreadsheet would take for a formula.
      await apply([subdistrictRegistered(CHANGNING, `${CHANGNING}001`, '=HYPERLINK("http://x","Huayang")', '2026-02-01T08:00:00+08:00')]);
    });

    it('sends the subdistricts of a district as a spreadsheet file, formulas defused', async () => {
      const res = await request(t.url)
        .get(`/api/districts/${CHANGNING}/subdistricts.csv`)
        .query({ asOf: '2026-02-10T12:00:00+08:00' })
        .set(bearer(t.tokens.changningStaff))
        .buffer(true)
        .parse((r, done) => {
          let text = '';
          r.setEncoding('utf8');
          r.on('data', (chunk: string) => (text += chunk));
          r.on('end', () => done(null, text));
        })
        .expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="subdistricts-${CHANGNING}-2026-02-10.csv"`);
      const text = res.body as string;
      expect(text.startsWith('\uFEFF')).toBe(true);
      const [header, row] = parseCsv(text);
      expect(header.slice(0, 5)).toEqual(['subdistrict', 'name', 'district', 'asOf', 'day']);
      const cell = (name: string) => row[header.indexOf(name)];
      expect(cell('subdistrict')).toBe(`${CHANGNING}001`);
      expect(cell('name')).toBe(`'=HYPERLINK("http://x","Huayang")`);
      expect(cell('canvass.units.active')).toBe('1');
      expect(cell('canvass.units.coverageToday')).toBe('1');
      expect(cell('canvass.returnedFromOutside.today')).toBe('4');
      expect(header).toContain('canvass.units.byKind.office-building.canvassedToday');
    });

    it('sends the 16 districts to the city center, and keeps the rules of the JSON answers', async () => {
      const res = await request(t.url).get('/api/city/districts.csv').set(bearer(t.tokens.cityCenter)).expect(200);
      const rows = parseCsv(res.text);
      expect(rows).toHaveLength(17);
      expect(rows[0].slice(0, 3)).toEqual(['district', 'name', 'nameZh']);
      expect(rows.find((r) => r[0] === CHANGNING)?.slice(1, 3)).toEqual(['Changning', '长宁区']);
      await request(t.url).get('/api/city/districts.csv').set(bearer(t.tokens.changningStaff)).expect(403);
      await request(t.url).get(`/api/districts/${CHANGNING}/subdistricts.csv`).set(bearer(t.tokens.putuoStaff)).expect(403);
      await request(t.url).get('/api/districts/999999/subdistricts.csv').set(bearer(t.tokens.cityCenter)).expect(400);
      await request(t.url).get('/api/city/districts.csv').query({ asOf: 'yesterday' }).set(bearer(t.tokens.cityCenter)).expect(400);
      await request(t.url).get('/api/city/districts.csv').expect(401);
    });
  });

  it('tells the page who the token is', async () => {
    const city = await request(t.url).get('/api/me').set(bearer(t.tokens.cityCenter)).expect(200);
    expect(city.body).toMatchObject({ role: 'city-center', cityWide: true });
    expect(city.body.districts).toHaveLength(16);
    const staff = await request(t.url).get('/api/me').set(bearer(t.tokens.changningStaff)).expect(200);
    expect(staff.body).toMatchObject({ role: 'district-staff', district: CHANGNING, cityWide: false, districts: [{ code: CHANGNING }] });
  });

  it('pushes the changed district over server-sent events after an event is applied', async () => {
    const city = new SseClient(`${t.url}/api/stream?access_token=${t.tokens.cityCenter}`);
    const putuo = new SseClient(`${t.url}/api/stream?access_token=${t.tokens.putuoStaff}`);
    try {
      expect((await city.opened).headers.get('content-type')).toMatch(/^text\/event-stream/);
      const snapshot = (await city.next('snapshot')) as { districts: DistrictOverview[]; city: unknown };
      expect(snapshot.districts).toHaveLength(16);
      expect(snapshot.city).toBeDefined();
      const putuoSnapshot = (await putuo.next('snapshot')) as { districts: DistrictOverview[]; city?: unknown };
      expect(putuoSnapshot.districts.map((d) => d.district.code)).toEqual(['310107']);
      expect(putuoSnapshot.city).toBeUndefined();

      await apply([visitRecorded(office, new Date().toISOString(), { returnedFromOutside: 2 })]);

      const pushed = (await city.next('district-overview', (d) => (d as DistrictOverview).district.code === CHANGNING)) as DistrictOverview;
      expect((pushed.figures.canvass as CanvassFigures).returnedFromOutside.today).toBe(2);
      expect((pushed.figures.canvass as CanvassFigures).returnedFromOutside.total).toBe(6);
      await city.next('city-figures');
      // Putuo's staff hear nothing about Changning.
      await new Promise((r) => setTimeout(r, 200));
      expect(putuo.messages.filter((m) => m.event !== 'snapshot')).toEqual([]);
    } finally {
      city.close();
      putuo.close();
    }
  });

  it('refuses a stream of another district (403)', async () => {
    await request(t.url).get('/api/stream').query({ access_token: t.tokens.putuoStaff, district: CHANGNING }).expect(403);
    await request(t.url).get('/api/stream').query({ access_token: 'not-a-token' }).expect(401);
    await request(t.url).get('/api/stream?access_token=%E0%A4%A').expect(401);
  });

  it('serves the dashboard page, its assets, chart.js and the OpenAPI document', async () => {
    const page = await request(t.url).get('/').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    // Security headers on the dashboard's page (helmet, wired for every service by the kit).
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self';.*script-src 'self';.*frame-ancestors 'none'/);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    await request(t.url)
      .get('/vendor/chart.umd.js')
      .expect(200)
      .expect('Content-Type', /javascript/);
    const panel = await request(t.url)
      .get('/assets/js/panels/canvass.js')
      .expect(200)
      .expect('Content-Type', /javascript/);
    expect(page.text).toContain('<script src="/assets/js/panels/canvass.js" defer></script>');
    expect(panel.text.length).toBeGreaterThan(0);
    await request(t.url)
      .get('/assets/styles.css')
      .expect(200)
      .expect('Content-Type', /text\/css/);
    // The base styles and script the departments' screens share, from @city/service-kit.
    expect(page.text).toContain('<link rel="stylesheet" href="/kit/screens.css">');
    await request(t.url)
      .get('/kit/screens.js')
      .expect(200)
      .expect('Content-Type', /javascript/);
    await request(t.url).get('/kit/no-such.js').expect(404);
    await request(t.url).get('/assets/js/no-such.js').expect(404);
    await request(t.url).get('/assets/../index.html').expect(404);
    await request(t.url).get('/docs').expect(200);
    const docs = await request(t.url).get('/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/city/overview',
        '/api/city/subdistricts',
        '/api/districts/{code}/overview',
        '/api/districts/{code}/subdistricts',
        '/api/city/districts.csv',
        '/api/districts/{code}/subdistricts.csv',
        '/api/series',
        '/api/stream',
      ]),
    );
    await request(t.url).get('/metrics').expect(200);
    await request(t.url).get('/health/ready').expect(200);
  });

  it('keeps a query-string token out of the request log', async () => {
    const lines: string[] = [];
    const logs = new PassThrough();
    logs.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const logged = await startOpsTestApp(db, { logLevel: 'info', logDestination: logs, httpAdapter });
    try {
      const sse = new SseClient(`${logged.url}/api/stream?access_token=${logged.tokens.cityCenter}`);
      await sse.next('snapshot');
      sse.close();
      // The request is logged when its stream closes: wait for that line rather than a fixed time.
      await eventually(async () => (lines.some((l) => l.includes('/api/stream')) ? true : undefined), 60_000);
      const streamLines = lines.filter((l) => l.includes('/api/stream'));
      expect(streamLines.length).toBeGreaterThan(0);
      expect(streamLines.join('\n')).toContain('access_token=[redacted]');
      expect(lines.join('\n')).not.toContain(logged.tokens.cityCenter);
    } finally {
      await logged.close();
    }
  }, 180_000); // a second app starting, its first snapshot and the request's log line
});
