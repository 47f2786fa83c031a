import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveEmbeddedConfig, startEmbeddedCity, type EmbeddedCity } from '@city/embedded-city';
import { freePort } from './support/free-port';
import { callJson, pollUntil } from './support/http-client';

/**
 * The `npm start` composition: the canvass service and the operations center in
 * one process on PGlite files, the event store's subscription standing in for
 * Kafka. A visit posted to the canvass API reaches the dashboard's API, and the
 * figures (the history) survive a stop and a start on the same data folder.
 */

// Jest reads testTimeout only from the root config, not per project: set it here.
jest.setTimeout(120_000);

const CHANGNING = '310105';
// The subdistrict and official of the sample field-official token the city prints (DEV_ACTORS).
const SUBDISTRICT = '310105001';
const OFFICIAL = 'dev-field-official';

interface CanvassSection {
  units: { active: number; canvassedToday: number };
  householdsRegistered: number;
  visits: { today: number; total: number };
  householdsCanvassed: { today: number; total: number };
  returnedFromOutside: { today: number; total: number };
}
interface DistrictOverviewBody {
  figures: { canvass: CanvassSection };
}

let dataDir: string;
let city: EmbeddedCity | undefined;

/** Starts the city on fresh ports (the configuration refuses port 0), quietly. */
async function start(): Promise<EmbeddedCity> {
  const env = {
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    CANVASS_PORT: String(await freePort()),
    TRAVELLER_HEALTH_PORT: String(await freePort()),
    POLICY_RELIEF_PORT: String(await freePort()),
    ENTERPRISE_REOPENING_PORT: String(await freePort()),
    SCENARIO: 'off',
    LOG_LEVEL: 'silent',
  };
  // The city prints its welcome (URLs, tokens) on stdout; keep the test output readable.
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return await startEmbeddedCity(resolveEmbeddedConfig(env));
  } finally {
    write.mockRestore();
  }
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'embedded-city-e2e-'));
});

afterAll(async () => {
  await city?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('serves a posted visit on the operations-center API, and keeps the figures across a restart', async () => {
  city = await start();
  const unitId = `e2e-unit-${randomUUID()}`;
  const overview = async (c: EmbeddedCity) => {
    const answer = await callJson<DistrictOverviewBody>('GET', `${c.dashboardUrl}api/districts/${CHANGNING}/overview`, c.tokens.changningStaff);
    expect(answer.status).toBe(200);
    return answer.body.figures.canvass;
  };
  let lastSeen: CanvassSection | undefined;
  const figuresWhen = (c: EmbeddedCity, accept: (f: CanvassSection) => boolean) =>
    pollUntil(
      async () => {
        lastSeen = await overview(c);
        return accept(lastSeen) ? lastSeen : undefined;
      },
      () => JSON.stringify(lastSeen),
      60_000, // the store's subscription and the projection between the POST and the figures: seconds when idle
    );
  const visit = (householdsCanvassed: number, returnedFromOutside: number) => ({
    visitId: randomUUID(),
    visitedAt: new Date(Date.now() - 1000).toISOString(),
    findings: { tenantsOpened: 0, tenantsClosed: 0, householdsCanvassed, returnedFromOutside, inHomeObservation: 1 },
  });

  const { canvassUrl, tokens } = city;
  expect(
    (
      await callJson('POST', `${canvassUrl}/subdistricts`, tokens.changningStaff, {
        districtCode: CHANGNING,
        subdistrictCode: SUBDISTRICT,
        name: 'Huayang Road Subdistrict',
      })
    ).status,
  ).toBe(201);
  const unit = {
    unitId,
    kind: 'street-block',
    name: 'Block 7',
    address: '1 Huayang Road',
    districtCode: CHANGNING,
    subdistrictCode: SUBDISTRICT,
    size: { tenants: 0, shops: 12, households: 80 },
  };
  expect((await callJson('POST', `${canvassUrl}/units`, tokens.changningStaff, unit)).status).toBe(201);
  expect((await callJson('PUT', `${canvassUrl}/units/${unitId}/official`, tokens.changningStaff, { officialId: OFFICIAL })).status).toBe(200);
  expect((await callJson('POST', `${canvassUrl}/units/${unitId}/visits`, tokens.fieldOfficial, visit(20, 3))).status).toBe(201);

  const before = await figuresWhen(city, (f) => f.visits.total >= 1);
  expect(before).toMatchObject({
    units: { active: 1, canvassedToday: 1 },
    householdsRegistered: 80,
    visits: { today: 1, total: 1 },
    householdsCanvassed: { today: 20, total: 20 },
    returnedFromOutside: { today: 3, total: 3 },
  });

  // Stop, and start again on the same data folder: the figures are still there ...
  await city.stop();
  city = undefined;
  city = await start();
  expect(await overview(city)).toEqual(before);
  // ... and so is canvass' own read model (its tables, not a replay): the official's unit, visited.
  const mine = await callJson<{ units: { unitId: string; lastVisitedAt: string | null }[] }>(
    'GET',
    `${city.canvassUrl}/officials/me/units`,
    city.tokens.fieldOfficial,
  );
  expect(mine.status).toBe(200);
  expect(mine.body.units.map((u) => [u.unitId, u.lastVisitedAt !== null])).toEqual([[unitId, true]]);

  // ... and the projection resumes where it stopped: one more visit adds one, nothing is applied twice.
  expect((await callJson('POST', `${city.canvassUrl}/units/${unitId}/visits`, city.tokens.fieldOfficial, visit(5, 1))).status).toBe(201);
  const after = await figuresWhen(city, (f) => f.visits.total >= 2);
  expect(after).toMatchObject({
    units: { active: 1, canvassedToday: 1 },
    householdsRegistered: 80,
    visits: { today: 2, total: 2 },
    householdsCanvassed: { today: 25, total: 25 },
    returnedFromOutside: { today: 4, total: 4 },
  });
}, 300_000); // two starts of the embedded city (PGlite on disk) and two waits for the figures (60 s each)

it("serves enterprise-reopening's screens, and its inspection queue from the service's own read model", async () => {
  city ??= await start();
  const { url, tokens } = city.reopening;
  const page = await fetch(`${url}/screens/inspector`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('复工检查');
  const firm = '91310105MA1FL3KX0K';
  const register = await callJson('POST', `${url}/enterprises`, tokens.commission, {
    creditCode: firm,
    name: 'Shanghai Yuyuan Software Co., Ltd.',
    industryCode: 'software-it-services',
    size: 'small',
    districtCode: CHANGNING,
    subdistrictCode: '310105002',
    usualHeadcount: 86,
  });
  expect(register.status).toBe(201);
  const guideline = await callJson<{ measures: { code: string }[] }>('GET', `${url}/industries/software-it-services/guideline`, tokens.enterprise);
  const declared = await callJson('POST', `${url}/enterprises/${firm}/declarations`, tokens.enterprise, {
    declarationId: 'e2e-declaration',
    plannedReopeningDate: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
    checklist: guideline.body.measures.map((m) => ({ measureCode: m.code, inPlace: true })),
    workforcePlan: { onSite: 30, rotating: 20, remote: 36 },
    returneesInObservation: 0,
  });
  expect(declared.status).toBe(201);
  const queue = await callJson<{ toInspect: { creditCode: string }[] }>('GET', `${url}/inspection-queue`, tokens.inspector);
  expect(queue.status).toBe(200);
  expect(queue.body.toInspect.map((e) => e.creditCode)).toEqual([firm]);
}, 180_000);
