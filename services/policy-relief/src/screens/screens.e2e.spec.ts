import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { issueToken, type Actor } from '@city/auth';
import { MEASURE_CATALOG, type MeasureCatalog, type ReliefMeasure } from '@city/contracts';
import { PostgresEventStore } from '@city/event-store-postgres';
import { PgDatabase } from '@city/sql';
import { createTestDatabase, describeInBrowser, launchChromium, type TestDatabase } from '@city/testing';
import { CAFE, cafe, sasac, SHOP, shop, startReliefTestApp } from '../testing/relief-test-app';

// Jest takes testTimeout only from the root config, not per project: set it here.
jest.setTimeout(120_000);

const OUTPUT = resolve(__dirname, '../../../../test-output');

const SECRET = 'policy-relief-screens-e2e-secret-0123456789abcdef';
const tokenOf = (actor: Actor) => issueToken(actor, SECRET);
/** A small fund of the state-assets office, so that the queue can show a refusal for money. */
const smallFund: ReliefMeasure = {
  measureId: 'M90',
  version: 1,
  title: 'A small test fund',
  titleZh: '测试专项资金',
  area: 'finance-support',
  issuer: 'state-assets',
  benefitKind: 'subsidy',
  amountRule: { kind: 'cap', capFen: 20_000 },
  rules: [],
  opensOn: '2020-02-08',
  closesOn: '2030-12-31',
  budgetFen: 10_000,
};
const catalog: MeasureCatalog = { edition: 'screens-e2e', measures: [...MEASURE_CATALOG.measures, smallFund] };
const M01_BUDGET = (MEASURE_CATALOG.measures.find((m) => m.measureId === 'M01') as ReliefMeasure).budgetFen;

/**
 * The policy-relief screens in a real headless Chromium against the service on
 * PostgreSQL: an enterprise applies and sees the answer rule by rule, the
 * issuing office approves part of it from its queue and sees the budget left
 * fall, and the enterprise sees the amount approved and the money paid. The
 * view of enterprises is fed as the service's own integration specs do.
 */
describeInBrowser('policy-relief screens in a browser', () => {
  let database: TestDatabase;
  let db: PgDatabase;
  let store: PostgresEventStore;
  let app: INestApplication;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    database = await createTestDatabase('policy_relief_screens');
    db = new PgDatabase(database.url);
    ({ app, store } = await startReliefTestApp(db, { secret: SECRET, catalog }));
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
    await db?.close();
    await database?.drop();
  });

  async function openPage(path: string, actor?: Actor): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1360, height: 1000 }, deviceScaleFactor: 1 });
    // Each wait returns as soon as its condition holds; a loaded machine renders slower than 30 s allows.
    page.setDefaultTimeout(60_000);
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto(`${url}${path}${actor ? `#token=${tokenOf(actor)}` : ''}`);
    return page;
  }

  const textOf = (page: Page, selector: string) => page.locator(selector).innerText();

  it('an enterprise applies and sees every rule; the office approves part and sees the budget fall; the enterprise sees the money', async () => {
    // The enterprise: its facts, the measures open to it, and an answer once it says who it rents from.
    const mine = await openPage('/screens/enterprise', cafe);
    await mine.locator('[data-measure="M01"]').waitFor();
    expect(await textOf(mine, '[data-fact="size"]')).toBe('small');
    expect(await mine.locator('[data-measure="M13"]').count()).toBe(0); // closed on 31 March
    expect(await mine.locator('[data-measure="M01"] [data-passed="open"]').innerText()).toContain('landlord: stated on the application');
    expect(await mine.evaluate(() => location.hash)).toBe(''); // the token left the address
    await mine.locator('#landlord').selectOption('state-owned');
    await mine.waitForFunction(() => document.querySelector('[data-measure="M03"] [data-passed="fail"]') !== null);
    expect(await textOf(mine, '[data-measure="M03"] [data-passed="fail"]')).toContain('landlord: state-owned — fails rule L1 of measure M03 v2');
    expect(await textOf(mine, '[data-measure="M01"] .verdict')).toContain('You qualify');

    await mine.locator('[data-apply="M01"]').click();
    await mine.locator('#apply-rent').fill('48,000');
    await mine.locator('#apply-amount').fill('96000.01');
    await mine.locator('#apply-submit').click();
    // Above two months of rent: the API's refusal, with its rule, and nothing recorded.
    await mine.waitForFunction(() => (document.querySelector('#apply-error')?.textContent ?? '').includes('amount-above-limit'));
    await mine.locator('#apply-amount').fill('96000');
    await mine.locator('#apply-submit').click();
    await mine.locator('#answer-verdict').waitFor();
    expect(await mine.locator('#answer [data-passed="pass"]').allInnerTexts()).toEqual([
      expect.stringContaining('size: small — passes rule S1 of measure M01 v1'),
      expect.stringContaining('landlord: state-owned — passes rule L1 of measure M01 v1'),
    ]);
    const row = `[data-application="M01-${CAFE}"]`;
    await mine.locator(`${row} [data-status="submitted"]`).waitFor();
    expect(await textOf(mine, `${row} [data-disbursed]`)).toBe('¥0.00');
    await mine.screenshot({ path: join(OUTPUT, 'relief-enterprise.png'), fullPage: true });

    // The office: the application in its queue with the reasons and the budget left; approve part of it, in yuan to the fen.
    await request(app.getHttpServer())
      .post('/applications')
      .set({ Authorization: `Bearer ${tokenOf(shop)}` })
      .send({ measureId: 'M90', enterpriseId: SHOP, landlordKind: 'private', requestedFen: 15_000 })
      .expect(201);
    const office = await openPage('/screens/approvals', sasac);
    await office.locator(`[data-measure="M01"] ${row}`).waitFor();
    expect(await office.locator('#office').innerText()).toContain('State-owned Assets Commission');
    expect(await office.locator(`${row} .checks`).innerText()).toContain('landlord: state-owned — passes rule L1 of measure M01 v1');
    const remaining = office.locator('[data-measure="M01"] [data-remaining]');
    expect(Number(await remaining.getAttribute('data-remaining'))).toBe(M01_BUDGET);

    // Too much for the small fund: the refusal names the budget rule.
    await office.locator(`[data-approve="M90-${SHOP}"]`).click();
    await office.waitForFunction((id) => (document.querySelector(`[data-error="${id}"]`)?.textContent ?? '').includes('budget-exceeded'), `M90-${SHOP}`);
    // More than was requested: refused with the reason, nothing approved.
    await office.locator(`[data-amount="M01-${CAFE}"]`).fill('96000.01');
    await office.locator(`[data-approve-part="M01-${CAFE}"]`).click();
    await office.waitForFunction((id) => (document.querySelector(`[data-error="${id}"]`)?.textContent ?? '').includes('grant-above-request'), `M01-${CAFE}`);
    expect(Number(await remaining.getAttribute('data-remaining'))).toBe(M01_BUDGET);

    await office.locator(`[data-amount="M01-${CAFE}"]`).fill('72000.50');
    await office.locator(`[data-approve-part="M01-${CAFE}"]`).click();
    await office.waitForFunction(
      (expected) => document.querySelector('[data-measure="M01"] [data-remaining]')?.getAttribute('data-remaining') === String(expected),
      M01_BUDGET - 7_200_050,
    );
    expect(await office.locator(row).count()).toBe(0);
    // The small fund's refusal stays beside its application while the queue is drawn again.
    expect(await office.locator(`[data-error="M90-${SHOP}"]`).innerText()).toContain('budget-exceeded');
    expect(await remaining.innerText()).toBe('¥799,927,999.50');
    expect(await office.locator('[data-measure="M01"] [data-waiting]').getAttribute('data-waiting')).toBe('0');
    await office.screenshot({ path: join(OUTPUT, 'relief-approvals.png'), fullPage: true });

    // The money is paid; the enterprise sees the amount approved and the payment with its day and reference.
    await request(app.getHttpServer())
      .post(`/applications/M01-${CAFE}/disbursements`)
      .set({ Authorization: `Bearer ${tokenOf(sasac)}` })
      .send({ amountFen: 7_200_050, disbursedOn: '2020-04-01', reference: 'RENT-WAIVER-2020-000731' })
      .expect(201);
    await mine.reload();
    await mine.locator(`${row} [data-status="approved"]`).waitFor();
    expect(await mine.locator('#landlord').inputValue()).toBe('state-owned'); // kept in the tab, as the token is
    expect(await textOf(mine, `${row} [data-granted]`)).toBe('¥72,000.50');
    expect(await textOf(mine, `${row} [data-disbursed]`)).toBe('¥72,000.50');
    expect(await textOf(mine, `${row} [data-reference]`)).toBe('2020-04-01 · ¥72,000.50 · ref RENT-WAIVER-2020-000731');
    expect(await textOf(mine, `${row} td:nth-child(7)`)).toContain('in part');
    await mine.screenshot({ path: join(OUTPUT, 'relief-enterprise-paid.png'), fullPage: true });
    await office.close();
    await mine.close();
  }, 300_000); // two pages, each waiting on the API after every step

  it('an enterprise withdraws a waiting application and may apply again', async () => {
    const page = await openPage('/screens/enterprise', cafe);
    await page.locator('[data-apply="M05"]').click();
    await page.locator('#apply-amount').fill('9000');
    await page.locator('#apply-submit').click();
    const row = `[data-application="M05-${CAFE}"]`;
    await page.locator(`${row} [data-withdraw]`).click();
    await page.locator(`${row} [data-status="withdrawn"]`).waitFor();
    expect(await page.locator('[data-apply="M05"]').innerText()).toContain('Apply again');
    await page.close();
  });

  it('asks for a token, refuses a bad one, and tells an enterprise the approval queue is not its page', async () => {
    const page = await openPage('/screens/approvals');
    await page.locator('#token-input').fill('not-a-token');
    await page.locator('#login-form button').click();
    await page.waitForFunction(() => (document.querySelector('#login-error')?.textContent ?? '').length > 0);
    expect(await page.locator('#login-error').innerText()).toContain('not valid');
    await page.locator('#token-input').fill(tokenOf(cafe));
    await page.locator('#login-form button').click();
    await page.waitForFunction(() => (document.querySelector('#login-error')?.textContent ?? '').includes('may not open'));
    expect(await page.locator('#main-view').isHidden()).toBe(true);
    await page.close();
    const missing = await request(app.getHttpServer()).get('/screens/nothing-here').expect(404);
    expect(missing.body.message).toContain('/screens/nothing-here');
  });
});
