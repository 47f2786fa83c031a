import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { issueToken, type Actor } from '@city/auth';
import { cityDayOf } from '@city/city-time';
import { DISTRICTS } from '@city/contracts';
import { PostgresEventStore } from '@city/event-store-postgres';
import { createTestDatabase, describeInBrowser, launchChromium, type TestDatabase } from '@city/testing';
import { keyPersonRegistration, residentId } from '../testing/registrations';
import { startTravellerHealthTestApp } from '../testing/traveller-health-test-app';

// Jest takes testTimeout only from the root config, not per project: set it here.
jest.setTimeout(120_000);

const OUTPUT = resolve(__dirname, '../../../../test-output');
const SECRET = 'traveller-health-screens-spec-secret-0123456789abcdef';
const city: Actor = { sub: 'th-city-screens', role: 'department', department: 'traveller-health' };
const worker: Actor = {
  sub: 'community-jiangsu-road-e2e',
  role: 'field-official',
  district: '310105',
  subdistrict: '310105002',
  department: 'traveller-health',
  name: 'Community worker, Jiangsu Road',
};
const changningStaff: Actor = { sub: 'staff-changning-e2e', role: 'district-staff', district: '310105' };
const as = (actor: Actor) => ({ Authorization: `Bearer ${issueToken(actor, SECRET)}` });

/**
 * The traveller-health screens in a real headless Chromium, served by the service itself on
 * real PostgreSQL (no broker: the app needs none to serve its API): a traveller registers from
 * a phone and sees their class and why, a bad ID number is named beside its field, and a
 * community worker sees a key person without name or phone until asking, for a reason,
 * which lands in the district's audit trail.
 */
describeInBrowser('traveller-health screens in a browser', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let app: INestApplication;
  let url: string;
  let browser: Browser;
  const problems: string[] = [];
  const http = () => request(url);
  const eventCount = async () => Number(await store.headPosition());

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    database = await createTestDatabase('traveller_health_screens');
    ({ app, store, url } = await startTravellerHealthTestApp(database.db, { secret: SECRET, city, clock: () => new Date(), listen: true }));
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
    await database?.drop();
  });

  afterEach(() => {
    // Script errors and Content-Security-Policy refusals (an inline script or style would be one).
    expect(problems).toEqual([]);
  });

  async function newPage(options: { phone?: boolean } = {}): Promise<Page> {
    const page = await browser.newPage(
      options.phone
        ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
        : { viewport: { width: 1280, height: 900 } },
    );
    page.setDefaultTimeout(60_000);
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    return page;
  }

  async function fillRegistration(page: Page, documentNumber: string, name: string): Promise<void> {
    await page.locator('[name="identity.name"]').fill(name);
    await page.locator('[name="identity.documentNumber"]').fill(documentNumber);
    await page.locator('[name="phone"]').fill('13900139001');
    await page.locator('[name="origin.provinceCode"]').selectOption('420000'); // Hubei: the capital, Wuhan, is suggested
    await page.locator('[name="trip.number"]').fill('G1722');
    await page.locator('[name="destination.districtCode"]').selectOption('310105');
    await page.locator('[name="destination.subdistrictCode"]').fill('310105002');
    await page.locator('[name="destination.committeeCode"]').fill('310105002003');
    await page.locator('[name="destination.address"]').fill('No. 8, Lane 100, Room 201');
    await page.locator('[name="declaration.temperatureC"]').fill('36.6');
  }

  it("serves the pages and their assets from the service, the district list being the contracts' districts", async () => {
    const page = await http().get('/screens/register').expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const options = [...page.text.matchAll(/<option value="(3101\d{2})">([^<]+)<\/option>/g)].map((m) => [m[1], m[2]]);
    expect(options).toEqual(DISTRICTS.map((d) => [d.code, `${d.name} · ${d.nameZh}`]));
    await http().get('/screens/community').expect(200);
    const script = await http().get('/screens/assets/register.js').expect(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    await http().get('/screens/nope').expect(404);
    // Light enough for a phone on a slow connection: the page, its one stylesheet and its one script, no fonts or images.
    const own = [...page.text.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]);
    expect(own).toEqual(['/screens/assets/screens.css', '/screens/assets/register.js']);
    let bytes = Buffer.byteLength(page.text);
    for (const path of own) bytes += Buffer.byteLength((await http().get(path).expect(200)).text);
    expect(bytes).toBeLessThan(40_000);
  });

  it('registers from a phone and shows the class with its rules; an answer lost on the way is retried as the same registration', async () => {
    const page = await newPage({ phone: true });
    const requested: string[] = [];
    page.on('request', (r) => requested.push(`${r.method()} ${new URL(r.url()).pathname}`));
    // A slow mobile connection (about 400 kbit/s, 400 ms round trips): the form still works, only slower.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 400, downloadThroughput: 50_000, uploadThroughput: 50_000 });
    await page.goto(`${url}/screens/register?checkpoint=hongqiao-railway`);
    await page.waitForFunction(() => document.querySelector('#checkpoint-name')?.textContent?.includes('虹桥'));
    expect(requested.sort()).toEqual(['GET /checkpoints', 'GET /screens/assets/register.js', 'GET /screens/assets/screens.css', 'GET /screens/register']);
    await fillRegistration(page, residentId(801), '欧阳浏览器');
    expect(await page.locator('[name="origin.cityCode"]').inputValue()).toBe('420100');

    // The first answer never reaches the phone (the request did reach the service): the page sends it again.
    const sent: string[] = [];
    let lost = 0;
    await page.route('**/registrations', async (route) => {
      sent.push(JSON.parse(route.request().postData() ?? '{}').registrationId);
      const response = await route.fetch();
      if (lost++ === 0) return route.abort('connectionreset');
      return route.fulfill({ response });
    });
    const before = await eventCount();
    await page.locator('#submit').click();
    await page.locator('#answer').waitFor();
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sent[1]).toBe(sent[0]);
    expect(await eventCount()).toBe(before + 2); // registered and pushed, once

    expect(await page.locator('#answer-class').innerText()).toBe('Key person · 重点人员');
    expect(await page.locator('#answer-reasons li').allInnerTexts()).toEqual([
      'came from a key area (rule R1)',
      'stayed in a key area within 14 days (rule R2)',
    ]);
    expect(await page.locator('#answer-rules').innerText()).toContain('Rule set 2020-02-10');
    expect(await page.locator('#answer-id').innerText()).toBe(sent[0]);
    await page.screenshot({ path: join(OUTPUT, 'traveller-register-answer.png'), fullPage: true });

    // The next person gets a registration of their own.
    await page.unroute('**/registrations');
    await page.locator('#another').click();
    await fillRegistration(page, residentId(802), '第二位');
    await page.locator('[name="origin.provinceCode"]').selectOption('320000');
    await page.locator('#stayed-origin').uncheck();
    await page.locator('#submit').click();
    await page.locator('#answer').waitFor();
    expect(await page.locator('#answer-class').innerText()).toBe('Registered · 一般人员');
    expect(await page.locator('#answer-id').innerText()).not.toBe(sent[0]);
    await page.close();
  });

  it("takes the destination from a residents' committee's QR code, and fills a typed committee's subdistrict and district", async () => {
    const page = await newPage({ phone: true });
    await page.goto(`${url}/screens/register?checkpoint=hongqiao-railway&committee=310104003005`);
    const destination = () =>
      Promise.all(['districtCode', 'subdistrictCode', 'committeeCode'].map((f) => page.locator(`[name="destination.${f}"]`).inputValue()));
    expect(await destination()).toEqual(['310104', '310104003', '310104003005']);

    // Typed by hand instead: the committee's code carries the other two.
    await page.locator('[name="destination.committeeCode"]').fill('310105002003');
    expect(await destination()).toEqual(['310105', '310105002', '310105002003']);
    // Half a code fills nothing yet.
    await page.locator('[name="destination.committeeCode"]').fill('31011');
    expect(await destination()).toEqual(['310105', '310105002', '31011']);
    // Another district chosen: the codes of the one before go.
    await page.locator('[name="destination.committeeCode"]').fill('310105002003');
    await page.locator('[name="destination.districtCode"]').selectOption('310101');
    expect(await destination()).toEqual(['310101', '', '']);

    await page.locator('[name="identity.name"]').fill('二维码');
    await page.locator('[name="identity.documentNumber"]').fill(residentId(804));
    await page.locator('[name="phone"]').fill('13900139004');
    await page.locator('[name="origin.provinceCode"]').selectOption('320000');
    await page.locator('#stayed-origin').uncheck();
    await page.locator('[name="destination.committeeCode"]').fill('310104003005');
    await page.locator('[name="destination.address"]').fill('No. 3, Lane 5, Room 101');
    await page.locator('[name="declaration.temperatureC"]').fill('36.5');
    const sent = page.waitForRequest('**/registrations');
    await page.locator('#submit').click();
    await page.locator('#answer').waitFor();
    expect(JSON.parse((await sent).postData() ?? '{}').destination).toEqual({
      districtCode: '310104',
      subdistrictCode: '310104003',
      committeeCode: '310104003005',
      address: 'No. 3, Lane 5, Room 101',
    });
    // The next traveller at the same gate starts from the committee again.
    await page.locator('#another').click();
    expect(await destination()).toEqual(['310104', '310104003', '310104003005']);
    await page.close();
  });

  it('offers the subdistricts and committees a district registered, by name, and fills their codes', async () => {
    const staff = as({ sub: 'staff-xuhui-screens', role: 'district-staff', district: '310104' });
    const xujiahui = { subdistrictCode: '310104003', subdistrictName: 'Xujiahui 徐家汇街道' };
    await http()
      .post('/districts/310104/committees')
      .set(staff)
      .send({
        committees: [
          { ...xujiahui, committeeCode: '310104003005', name: 'No. 5 Residents’ Committee 第五居委会' },
          { ...xujiahui, committeeCode: '310104003001', name: 'No. 1 Residents’ Committee 第一居委会' },
          { subdistrictCode: '310104001', subdistrictName: 'Tianping Road 天平路街道', committeeCode: '310104001002', name: 'Tianping No. 2' },
        ],
      })
      .expect(201);
    const page = await newPage({ phone: true });
    await page.goto(`${url}/screens/register?checkpoint=hongqiao-railway`);
    const destination = () =>
      Promise.all(['districtCode', 'subdistrictCode', 'committeeCode'].map((f) => page.locator(`[name="destination.${f}"]`).inputValue()));
    const options = (id: string) => page.locator(`#${id} option`).allInnerTexts();

    // A district that registered none: codes only.
    const asked = page.waitForResponse('**/districts/310105/subdistricts');
    await page.locator('[name="destination.districtCode"]').selectOption('310105');
    await asked;
    expect(await page.locator('#subdistrict-pick-field').isHidden()).toBe(true);

    await page.locator('[name="destination.districtCode"]').selectOption('310104');
    await page.locator('#subdistrict-pick-field').waitFor();
    expect(await options('subdistrict-pick')).toEqual(['Choose · 请选择', 'Tianping Road 天平路街道', 'Xujiahui 徐家汇街道']);
    await page.locator('#subdistrict-pick').selectOption('310104003');
    await page.locator('#committee-pick-field').waitFor();
    expect(await options('committee-pick')).toEqual(['Choose · 请选择', 'No. 1 Residents’ Committee 第一居委会', 'No. 5 Residents’ Committee 第五居委会']);
    await page.locator('#committee-pick').selectOption('310104003005');
    expect(await destination()).toEqual(['310104', '310104003', '310104003005']);

    // A committee's QR code selects the names as well.
    await page.goto(`${url}/screens/register?checkpoint=hongqiao-railway&committee=310104003001`);
    await page.waitForFunction(() => (document.querySelector('#committee-pick') as HTMLSelectElement | null)?.value === '310104003001');
    expect(await page.locator('#subdistrict-pick').inputValue()).toBe('310104003');
    await page.close();
  });

  it('names a wrong resident ID number beside its field, and records nothing', async () => {
    const page = await newPage({ phone: true });
    await page.goto(`${url}/screens/register?checkpoint=hongqiao-railway`);
    const wrong = residentId(803).slice(0, 17) + (residentId(803).endsWith('1') ? '2' : '1');
    await fillRegistration(page, wrong, '错号码');
    await page.locator('[name="declaration.temperatureC"]').fill('46');
    const before = await eventCount();
    await page.locator('#submit').click();
    const idError = page.locator('[data-field="identity.documentNumber"] .field-error');
    await page.waitForFunction(() => (document.querySelector('[data-field="identity.documentNumber"] .field-error')?.textContent ?? '') !== '');
    expect(await idError.innerText()).toContain('wrong check character');
    expect(await page.locator('[data-field="declaration.temperatureC"] .field-error').innerText()).toContain('temperatureC');
    expect(await page.locator('[data-field="phone"] .field-error').innerText()).toBe('');
    expect(await page.locator('[name="identity.documentNumber"]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#answer').isHidden()).toBe(true);
    expect(await eventCount()).toBe(before);
    await page.screenshot({ path: join(OUTPUT, 'traveller-register-error.png'), fullPage: true });
    await page.close();
  });

  it('shows the community worker a key person without name or phone until asked for a reason, and the read is in the audit trail', async () => {
    const key = keyPersonRegistration(811);
    const registration = {
      ...key,
      identity: { name: '司马社区', documentKind: 'resident-id' as const, documentNumber: residentId(811) },
      trip: { ...key.trip, date: cityDayOf(new Date()) }, // the service runs on the real clock
    };
    const { body } = await http().post('/registrations').send(registration).expect(201);
    const travellerId = body.travellerId as string;

    const page = await newPage();
    await page.goto(`${url}/screens/community#token=${issueToken(worker, SECRET)}`);
    const row = page.locator(`#work-list tr[data-traveller="${travellerId}"]`);
    await row.waitFor();
    expect(page.url()).not.toContain('token='); // taken from the address, kept in sessionStorage
    expect(await row.innerText()).toContain('stayed in a key area within 14 days (rule R2)');
    expect(await row.innerText()).toContain('rule set 2020-02-10');
    const content = await page.content();
    expect(content).not.toContain('司马社区');
    expect(content).not.toContain(registration.phone);
    // The key persons waiting to be placed in observation, each with the button that does it.
    expect(await page.locator('#kpi-key').innerText()).toBe(String(await page.locator('#work-list [data-start]').count()));
    expect(await row.locator('[data-start]').count()).toBe(1);

    // Asked, for a reason: shown, and recorded for the district with that reason.
    await row.locator('[data-reveal]').click();
    await row.locator('select[name="reason"]').selectOption('follow up a fever');
    await row.locator('.reveal button[type="submit"]').click();
    await row.locator('.pii-name').waitFor();
    expect(await row.locator('.pii-name').innerText()).toBe('司马社区');
    expect(await row.locator('.pii-phone').innerText()).toBe(registration.phone);
    const audit = await http().get('/districts/310105/personal-data-reads').set(as(changningStaff)).expect(200);
    expect(audit.body[0]).toMatchObject({
      travellerId,
      readerId: worker.sub,
      readerRole: 'field-official',
      reason: 'follow up a fever',
      committeeCode: '310105002003',
    });
    await page.screenshot({ path: join(OUTPUT, 'community-work-list.png'), fullPage: true });

    // Home observation from the page; a fever check-in raises a flag the page lists, and resolves.
    await row.locator('[data-start]').click();
    const today = page.locator(`#check-ins tr[data-traveller="${travellerId}"]`);
    await today.waitFor();
    expect(await today.innerText()).toContain('1 / 14');
    await http().post(`/travellers/${travellerId}/check-ins`).set(as(worker)).send({ slot: 'evening', temperatureC: 38.4, symptomatic: true }).expect(201);
    await page.locator('#refresh').click();
    const flag = page.locator(`#flags tr[data-traveller="${travellerId}"]`);
    await flag.waitFor();
    expect(await flag.innerText()).toContain('Fever · 发热');
    expect(await today.locator('td[data-status="made"]').innerText()).toContain('fever');
    expect(await page.locator('#kpi-flags').innerText()).toBe('1');
    expect(await page.locator('#work-list').innerText()).not.toContain('司马社区'); // the list was drawn again: shown only on request
    await flag.locator('[data-resolve]').click();
    await page.waitForFunction(() => document.querySelector('#kpi-flags')?.textContent === '0');
    expect(await page.locator('#flags').innerText()).toContain('No open flags');
    await page.close();
  });

  it('refuses a token that is not valid', async () => {
    const page = await newPage();
    await page.goto(`${url}/screens/community`);
    await page.locator('#token-input').fill('not-a-token');
    await page.locator('#login-form button').click();
    await page.waitForFunction(() => (document.querySelector('#login-error')?.textContent ?? '').length > 0);
    expect(await page.locator('#login-error').innerText()).toContain('not valid');
    await page.close();
  });
});
