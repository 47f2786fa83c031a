import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveEmbeddedConfig, startEmbeddedCity, type EmbeddedCity } from '@city/embedded-city';
import { freePort } from './support/free-port';
import { callJson, pollUntil } from './support/http-client';

/**
 * `npm start` as a user meets it: the scenario on, every department's simulated
 * users at work. Within a few minutes each department's figures on the city page
 * move: canvass visits, traveller registrations, enterprises registered and
 * declaring, relief applications. A scenario that stops at start (as one did when
 * the services began refusing tokens longer than 12 hours) fails here.
 */

jest.setTimeout(300_000);

interface CityFigures {
  canvass: { visits: { total: number } };
  travellerHealth: { registrations: { total: number } };
  enterpriseReopening: { registered: number };
  policyRelief: { applications: { total: number } };
}

let dataDir: string;
let city: EmbeddedCity | undefined;
/** Kept so that a city still starting when its hook's time ran out is stopped all the same. */
let starting: Promise<EmbeddedCity> | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'embedded-scenario-e2e-'));
  const env = {
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    CANVASS_PORT: String(await freePort()),
    TRAVELLER_HEALTH_PORT: String(await freePort()),
    POLICY_RELIEF_PORT: String(await freePort()),
    ENTERPRISE_REOPENING_PORT: String(await freePort()),
    SCENARIO: 'on',
    // A small city, so that every department's first steps come within the test's wait.
    SCENARIO_ENTERPRISES: '120',
    SCENARIO_ARRIVALS_PER_SECOND: '10',
    LOG_LEVEL: 'silent',
  };
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    starting = startEmbeddedCity(resolveEmbeddedConfig(env));
    city = await starting;
  } finally {
    write.mockRestore();
  }
}, 240_000); // five services on PGlite files: seconds when idle, minutes on a loaded machine

afterAll(async () => {
  await (city ?? (await starting?.catch(() => undefined)))?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 240_000);

it('moves every department’s figures on the city page', async () => {
  const c = city as EmbeddedCity;
  let last: CityFigures | undefined;
  const moved = (f: CityFigures) =>
    f.canvass.visits.total > 0 && f.travellerHealth.registrations.total > 0 && f.enterpriseReopening.registered > 0 && f.policyRelief.applications.total > 0;
  const figures = await pollUntil(
    async () => {
      const answer = await callJson<{ city: CityFigures }>('GET', `${c.dashboardUrl}api/city/overview`, c.tokens.cityCenter);
      expect(answer.status).toBe(200);
      last = answer.body.city;
      return moved(last) ? last : undefined;
    },
    () => JSON.stringify(last && summary(last)),
    // Seconds on an idle machine; the policy-relief scenario waits for enterprises to be registered first.
    240_000,
    1000,
  );
  const seen = summary(figures);
  for (const [figure, value] of Object.entries(seen)) expect([figure, value > 0]).toEqual([figure, true]);
});

it("offers a traveller the residents' committees each district registered, by name", async () => {
  const c = city as EmbeddedCity;
  const subdistricts = await callJson<{ subdistrictCode: string; name: string; committees: number }[]>(
    'GET',
    `${c.travellerHealthUrl}/districts/310105/subdistricts`,
    c.tokens.cityCenter,
  );
  expect(subdistricts.status).toBe(200);
  expect(subdistricts.body.length).toBeGreaterThan(0);
  expect(subdistricts.body.every((s) => s.committees === 12)).toBe(true);
  const committees = await callJson<{ committeeCode: string; name: string }[]>(
    'GET',
    `${c.travellerHealthUrl}/subdistricts/${subdistricts.body[0].subdistrictCode}/committees`,
    c.tokens.cityCenter,
  );
  expect(committees.body.map((e) => e.committeeCode)).toContain('310105001003');
  expect(committees.body[2].name).toContain('第三居委会');
});

function summary(f: CityFigures) {
  return {
    visits: f.canvass.visits.total,
    registrations: f.travellerHealth.registrations.total,
    enterprisesRegistered: f.enterpriseReopening.registered,
    reliefApplications: f.policyRelief.applications.total,
  };
}
