import { join } from 'node:path';
import { devTokens, issueToken } from '@city/auth';
import { createCanvassApp } from '@city/canvass-service';
import { withContractValidation } from '@city/event-schemas';
import { shutdownGracefully } from '@city/observability';
import { createOperationsCenterApp, eventStoreProjectionFeed } from '@city/operations-center-service';
import { createPolicyReliefApp } from '@city/policy-relief-service';
import { openEventStore } from '@city/service-kit';
import { createTravellerHealthApp } from '@city/traveller-health-service';
import { PgliteDatabase } from '@city/sql';
import { persistentSecret, type ResolvedEmbeddedConfig } from './embedded-config';
import { CanvassClient } from './scenario/canvass-client';
import { planCity } from './scenario/city-plan';
import { CityScenario } from './scenario/city-scenario';
import { ReliefScenario, type KnownEnterprise } from './scenario/relief-scenario';
import { TravellerScenario } from './scenario/traveller-scenario';
import { startEmbeddedReopening, type EmbeddedReopening } from './enterprise-reopening-embedded';

export interface EmbeddedCity {
  readonly dashboardUrl: string;
  readonly canvassUrl: string;
  readonly travellerHealthUrl: string;
  readonly dataDir: string;
  readonly tokens: EmbeddedTokens;
  readonly reopening: EmbeddedReopening;
  stop(): Promise<void>;
}

export type EmbeddedTokens = ReturnType<typeof devTokens> & { readonly communityStaff: string; readonly travellerHealthDepartment: string };

/** Starts the event store, canvass, traveller-health, the operations center and (optionally) the scenario. */
export async function startEmbeddedCity(config: ResolvedEmbeddedConfig): Promise<EmbeddedCity> {
  // Two PGlite databases, as in stack mode: the department's event store and the operations center's read models.
  const storeDb = new PgliteDatabase(join(config.dataDir, 'event-store'));
  const readDb = new PgliteDatabase(join(config.dataDir, 'read-models'));
  const store = await openEventStore(storeDb);

  const canvass = await createCanvassApp({
    eventStore: withContractValidation(store),
    readModelDb: storeDb,
    jwtSecret: config.jwtSecret,
    logLevel: config.LOG_LEVEL,
    readiness: [{ name: 'event-store', check: () => store.ping() }],
  });
  await canvass.listen(config.CANVASS_PORT, config.HOST);
  const reopening = await startEmbeddedReopening(config, store, storeDb);

  // Traveller health keeps its vault, work list and scheduled commands beside its events; its keys are made once into the data folder.
  const travellerHealth = await createTravellerHealthApp({
    eventStore: withContractValidation(store),
    db: storeDb,
    privacy: {
      travellerIdSecret: persistentSecret(config.dataDir, 'traveller-id-secret'),
      masterKeys: [{ id: 'embedded', key: Buffer.from(persistentSecret(config.dataDir, 'pii-master-key'), 'hex') }],
    },
    jwtSecret: config.jwtSecret,
    logLevel: config.LOG_LEVEL,
    readiness: [{ name: 'event-store', check: () => store.ping() }],
  });
  await travellerHealth.listen(config.TRAVELLER_HEALTH_PORT, config.HOST);

  // Policy relief keeps its view of enterprises from enterprise-reopening's events in the same store (the embedded bus).
  const policyRelief = await createPolicyReliefApp({
    eventStore: withContractValidation(store),
    readModelDb: storeDb,
    enterprisesFromStore: true,
    jwtSecret: config.jwtSecret,
    logLevel: config.LOG_LEVEL,
    readiness: [{ name: 'event-store', check: () => store.ping() }],
  });
  await policyRelief.listen(config.POLICY_RELIEF_PORT, config.HOST);
  const policyReliefUrl = `http://${config.HOST}:${config.POLICY_RELIEF_PORT}`;

  const operations = await createOperationsCenterApp({
    readDb,
    feed: eventStoreProjectionFeed(store),
    jwtSecret: config.jwtSecret,
    logLevel: config.LOG_LEVEL,
    readiness: [{ name: 'event-store', check: () => store.ping() }],
  });
  await operations.listen(config.PORT, config.HOST);

  const dashboardUrl = `http://${config.HOST}:${config.PORT}/`;
  const canvassUrl = `http://${config.HOST}:${config.CANVASS_PORT}`;
  const travellerHealthUrl = `http://${config.HOST}:${config.TRAVELLER_HEALTH_PORT}`;
  const tokens: EmbeddedTokens = {
    ...devTokens(config.jwtSecret),
    // A community worker of residents' committee 003 of Jiangsu Road subdistrict (Changning): that committee's work list.
    communityStaff: issueToken(
      {
        sub: 'community-jiangsu-road-003',
        role: 'field-official',
        district: '310105',
        subdistrict: '310105002',
        committee: '310105002003',
        department: 'traveller-health',
        name: 'Community worker, Jiangsu Road committee 003',
      },
      config.jwtSecret,
      { expiresIn: '12h' },
    ),
    travellerHealthDepartment: issueToken({ sub: 'traveller-health-city', role: 'department', department: 'traveller-health' }, config.jwtSecret, {
      expiresIn: '12h',
    }),
  };
  printWelcome(dashboardUrl, canvassUrl, travellerHealthUrl, config.dataDir, tokens);
  printPolicyRelief(policyReliefUrl, config.jwtSecret);
  printReopening(reopening);

  let scenario: CityScenario | undefined;
  let travellers: TravellerScenario | undefined;
  let reliefScenario: ReliefScenario | undefined;
  if (config.SCENARIO === 'on') {
    const plan = planCity();
    scenario = new CityScenario({
      client: new CanvassClient(canvassUrl),
      plan,
      jwtSecret: config.jwtSecret,
      visitsPerSecond: config.SCENARIO_VISITS_PER_SECOND,
      log: (m) => process.stdout.write(`${m}\n`),
    });
    // Officials start canvassing what is registered while the rest of the city registers.
    scenario.start();
    // Enterprises enterprise-reopening registered, as policy-relief's view knows them, that have not applied yet.
    const unapplied = async (limit: number): Promise<KnownEnterprise[]> => {
      const { rows } = await storeDb.query<{ enterprise_id: string; headcount: number }>(
        `SELECT e.enterprise_id, e.headcount FROM policy_relief_enterprises e
          WHERE NOT EXISTS (SELECT 1 FROM policy_relief_applications a WHERE a.enterprise_id = e.enterprise_id)
          ORDER BY random() LIMIT $1`,
        [limit],
      );
      return rows.map((r) => ({ enterpriseId: r.enterprise_id, headcount: Number(r.headcount) }));
    };
    reliefScenario = new ReliefScenario({
      client: new CanvassClient(policyReliefUrl),
      jwtSecret: config.jwtSecret,
      enterprises: unapplied,
      log: (m) => process.stdout.write(`${m}\n`),
    });
    reliefScenario.start();
    void scenario
      .registerCity(async (unitId) => (await store.readStream(`canvass.unit-${unitId}`)).length > 0)
      .catch((error: Error) => process.stderr.write(`scenario: registration stopped: ${error.message}\n`));
    travellers = new TravellerScenario({
      client: new CanvassClient(travellerHealthUrl),
      subdistricts: plan.subdistricts,
      jwtSecret: config.jwtSecret,
      arrivalsPerSecond: config.SCENARIO_ARRIVALS_PER_SECOND,
      log: (m) => process.stdout.write(`${m}\n`),
    });
    const arrivals = travellers;
    void arrivals.start().catch((error: Error) => process.stderr.write(`scenario: arrivals stopped: ${error.message}\n`));
    reopening.startScenario((m) => process.stdout.write(`${m}\n`));
  }

  return {
    dashboardUrl,
    canvassUrl,
    travellerHealthUrl,
    dataDir: config.dataDir,
    tokens,
    reopening,
    async stop() {
      scenario?.stop();
      reliefScenario?.stop();
      travellers?.stop();
      await reopening.stop();
      await shutdownGracefully(canvass);
      await shutdownGracefully(travellerHealth);
      await shutdownGracefully(policyRelief);
      await shutdownGracefully(operations);
      await store.close();
      await storeDb.close();
      await readDb.close();
    },
  };
}

function printWelcome(dashboardUrl: string, canvassUrl: string, travellerHealthUrl: string, dataDir: string, tokens: EmbeddedTokens): void {
  const lines = [
    '',
    'The city is running (embedded mode: PGlite, no servers).',
    '',
    `  Dashboard          ${dashboardUrl}#token=${tokens.cityCenter}`,
    `  Changning only     ${dashboardUrl}#token=${tokens.changningStaff}`,
    `  Canvass API        ${canvassUrl}/docs`,
    `  Traveller health   ${travellerHealthUrl}/docs`,
    `  Arrival form       ${travellerHealthUrl}/screens/register?checkpoint=hongqiao-railway   (the phone page behind a checkpoint's QR code)`,
    `  Community page     ${travellerHealthUrl}/screens/community#token=${tokens.communityStaff}`,
    `  Data               ${dataDir}`,
    '',
    'Tokens (Authorization: Bearer <token>), valid 12 hours (each start prints new ones):',
    `  city center              ${tokens.cityCenter}`,
    `  Changning district staff ${tokens.changningStaff}`,
    `  field official           ${tokens.fieldOfficial}`,
    `  canvass department       ${tokens.canvassDepartment}`,
    `  community staff          ${tokens.communityStaff}`,
    `  traveller-health dept.   ${tokens.travellerHealthDepartment}`,
    '',
    'Ctrl+C stops the city; the next `npm start` resumes with its history.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

function printPolicyRelief(url: string, secret: string): void {
  const sign = (actor: Parameters<typeof issueToken>[0]) => issueToken(actor, secret, { expiresIn: '12h' });
  const lines = [
    'Policy relief (enterprises apply, issuing offices decide; enterprises come from enterprise-reopening):',
    `  Policy relief API  ${url}/docs`,
    `  Screens (paste a token below)  ${url}/screens/enterprise  ·  ${url}/screens/approvals`,
    `  an enterprise (91310105MA1FL3KX0K)  ${sign({ sub: '91310105MA1FL3KX0K', role: 'enterprise', name: 'Shanghai Yuyuan Software Co., Ltd.' })}`,
    `  finance office (issuing department)  ${sign({ sub: 'dev-finance-office', role: 'department', department: 'policy-relief', office: 'finance', name: 'Municipal finance bureau' })}`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

function printReopening(reopening: EmbeddedReopening): void {
  const lines = [
    `Enterprise reopening API ${reopening.url}/docs`,
    `  enterprise's page        ${reopening.url}/screens/enterprise#token=${reopening.tokens.enterprise}`,
    `  inspector's queue        ${reopening.url}/screens/inspector#token=${reopening.tokens.inspector}`,
    `  enterprise 91310105MA1FL3KX0K (Jiangsu Road, software) ${reopening.tokens.enterprise}`,
    `  inspector, Changning     ${reopening.tokens.inspector}`,
    `  commission               ${reopening.tokens.commission}`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}
