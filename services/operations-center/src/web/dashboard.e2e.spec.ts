import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PostgresEventStore } from '@city/event-store-postgres';
import type { RecordedEvent } from '@city/eventsourcing';
import { PgliteDatabase } from '@city/sql';
import { describeInBrowser, eventually, launchChromium } from '@city/testing';
import { eventStoreProjectionFeed } from '../projection-feeds';
import { toNew, unitRef, visitRecorded } from '../testing/canvass-events';
import { demoCity } from '../testing/demo-city';
import { startOpsTestApp, type OpsTestApp } from '../testing/test-app';

// Jest takes testTimeout only from the root config, not per project: set it here.
jest.setTimeout(120_000);

const OUTPUT = resolve(__dirname, '../../../../test-output');
const CHANGNING = '310105';

/**
 * The dashboard in a real headless Chromium, against the operations center in
 * embedded mode: PGlite holds the event store and the read models, the store's
 * subscription feeds the projections, and the page follows over SSE.
 */
describeInBrowser('operations-center dashboard in a browser', () => {
  let db: PgliteDatabase;
  let store: PostgresEventStore;
  let t: OpsTestApp;
  let browser: Browser;
  const city = demoCity(new Date(), { unitsPerSubdistrict: 4 });

  async function append(events: readonly RecordedEvent[]): Promise<void> {
    const byStream = new Map<string, RecordedEvent[]>();
    for (const e of events) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
    const streams = [...byStream.entries()];
    for (let i = 0; i < streams.length; i += 100) {
      await Promise.all(streams.slice(i, i + 100).map(([id, es]) => store.appendToStream(id, es.map(toNew), 'any')));
    }
  }

  // PGlite, the demo city appended and projected (60 s), the app and Chromium started: under a minute
  // when idle, several on a loaded machine.
  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    db = new PgliteDatabase();
    store = new PostgresEventStore(db, { pollIntervalMs: 100 });
    await store.migrate();
    await append(city.events);
    t = await startOpsTestApp(db, { feed: eventStoreProjectionFeed(store), liveCoalesceMs: 50 });
    const head = await store.headPosition();
    await eventually(async () => {
      const { rows } = await db.query<{ position: string }>(`SELECT position::text FROM projection_positions WHERE projection = 'ops-canvass'`);
      return rows.length > 0 && BigInt(rows[0].position) >= head ? true : undefined;
    }, 60_000);
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await store?.close();
    await db?.close();
  });

  async function openPage(token: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
    // Each wait for the page returns as soon as its condition holds; a loaded machine renders slower than 30 s allows.
    page.setDefaultTimeout(60_000);
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto(`${t.url}/#token=${token}`);
    return page;
  }

  /** Clicks an export button and reads the file the browser saves: its name and lines (BOM checked and removed). */
  async function downloadCsv(page: Page, button: string): Promise<{ name: string; lines: string[] }> {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(button).click()]);
    const path = await download.path();
    const text = await readFile(path, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    return { name: download.suggestedFilename(), lines: text.slice(1).trimEnd().split('\r\n') };
  }

  it('shows the 16 districts and updates a tile live when a canvass event is applied', async () => {
    const page = await openPage(t.tokens.cityCenter);
    const returnees = page.locator(`[data-district="${CHANGNING}"] [data-metric="canvass-returnees"]`);
    await returnees.waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-district]').length === 16);
    await page.waitForFunction(() => document.querySelector('#live-state')?.getAttribute('data-state') === 'live');
    expect(await page.locator('#crumbs').innerText()).toContain('上海市');
    expect(await page.locator(`[data-district="${CHANGNING}"]`).innerText()).toContain('长宁区');
    const before = Number((await returnees.innerText()).replace(/,/g, ''));
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    // A field official records a visit: event store → subscription → projection → NOTIFY → SSE → page.
    const unit = city.units.find((u) => u.districtCode === CHANGNING) ?? unitRef('x', 'market', CHANGNING);
    await append([visitRecorded(unit, new Date().toISOString(), { returnedFromOutside: 5 })]);

    await page.waitForFunction(
      ([selector, expected]) => document.querySelector(selector as string)?.textContent?.replace(/,/g, '') === String(expected),
      [`[data-district="${CHANGNING}"] [data-metric="canvass-returnees"]`, before + 5] as const,
      // The whole path above, each step waiting on the one before it: seconds when idle.
      { timeout: 60_000 },
    );
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await page.waitForFunction(() => document.querySelectorAll('.chart-card canvas').length === 3);
    await page.waitForTimeout(1600); // let the highlight of the changed number fade
    await page.screenshot({ path: join(OUTPUT, 'dashboard.png'), fullPage: true });

    // The subdistricts behind today: lowest coverage first, each leading to its district.
    await page.waitForFunction(() => document.querySelectorAll('#behind tr[data-behind]').length === 10);
    const behind = await page.$$eval('#behind tr[data-behind] td[data-level]', (cells) => cells.map((c) => Number((c.textContent ?? '').replace('%', ''))));
    expect(behind).toEqual([...behind].sort((a, b) => a - b));

    const cityFile = await downloadCsv(page, '#export-districts');
    expect(cityFile.name).toMatch(/^districts-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(cityFile.lines).toHaveLength(17);
    expect(cityFile.lines.find((l) => l.startsWith(`${CHANGNING},`))).toContain('长宁区');

    await page.locator(`[data-district="${CHANGNING}"]`).click();
    await page.waitForFunction(() => document.querySelectorAll('#subdistricts tbody tr[data-subdistrict]').length > 0);
    expect(await page.locator('#subdistricts').innerText()).toContain('Jiangsu Road');
    const districtFile = await downloadCsv(page, '#export-subdistricts');
    expect(districtFile.name).toMatch(new RegExp(`^subdistricts-${CHANGNING}-`));
    expect(districtFile.lines.some((l) => l.includes('Jiangsu Road'))).toBe(true);

    // A subdistrict's row puts its own last 14 days in the charts; "Whole district" goes back.
    await page.locator('#subdistricts tr[data-subdistrict]', { hasText: 'Jiangsu Road' }).click();
    await page.waitForFunction(() => (document.querySelector('#series-scope')?.textContent ?? '').includes('Jiangsu Road'));
    expect(await page.locator('#subdistricts tr.selected').innerText()).toContain('Jiangsu Road');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(OUTPUT, 'dashboard-subdistrict.png'), fullPage: true });
    await page.locator('#series-whole').click();
    await page.waitForFunction(() => document.querySelector('#series-scope')?.textContent === '');
    expect(await page.locator('#subdistricts tr.selected').count()).toBe(0);
    expect(await page.locator('#crumbs').innerText()).toContain('Changning');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(OUTPUT, 'dashboard-district.png'), fullPage: true });

    // As of yesterday evening (Shanghai): figures from history, marked as such.
    const yesterday = new Date(Date.now() - 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
    await page.locator('#asof-input').fill(`${yesterday}T20:00`);
    await page.waitForFunction(() => document.querySelector('#stamp .badge-history') !== null);
    expect(await page.locator('#stamp').innerText()).toContain(yesterday);
    expect(await page.locator('#live-state').getAttribute('data-state')).toBe('paused');
    await page.locator('#asof-live').click();
    await page.waitForFunction(() => document.querySelector('#stamp .badge-live') !== null);
    await page.close();
  }, 300_000); // the page loading and following over SSE, the live update (60 s), two downloads and four views

  it('shows a district token its own district only', async () => {
    const page = await openPage(t.tokens.changningStaff);
    await page.waitForFunction(() => document.querySelectorAll('#subdistricts tbody tr[data-subdistrict]').length > 0);
    expect(await page.locator('#crumbs').innerText()).toContain('Changning');
    expect(await page.locator('#city-view').isHidden()).toBe(true);
    expect(await page.locator('.crumb-link').count()).toBe(0);
    expect(await page.locator('[data-district]').count()).toBe(0);
    await page.close();
  });

  it('asks for a token and refuses a bad one', async () => {
    const page = await browser.newPage();
    await page.goto(`${t.url}/`);
    await page.locator('#token-input').fill('not-a-token');
    await page.locator('#login-form button').click();
    await page.waitForFunction(() => (document.querySelector('#login-error')?.textContent ?? '').length > 0);
    expect(await page.locator('#login-error').innerText()).toContain('not valid');
    await page.close();
  });
});
