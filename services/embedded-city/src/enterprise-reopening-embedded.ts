import { issueToken, type Actor } from '@city/auth';
import { createEnterpriseReopeningApp } from '@city/enterprise-reopening-service';
import { withContractValidation } from '@city/event-schemas';
import type { EventStore } from '@city/eventsourcing';
import { shutdownGracefully } from '@city/observability';
import type { SqlDatabase } from '@city/sql';
import type { ResolvedEmbeddedConfig } from './embedded-config';
import { CanvassClient } from './scenario/canvass-client';
import { planEnterprises, SAMPLE_ENTERPRISE } from './scenario/reopening-plan';
import { ReopeningScenario } from './scenario/reopening-scenario';

/** The sample actors of enterprise reopening that `npm start` prints tokens for. */
export const REOPENING_ACTORS = {
  enterprise: { sub: SAMPLE_ENTERPRISE.creditCode, role: 'enterprise', name: SAMPLE_ENTERPRISE.name },
  inspector: {
    sub: 'dev-inspector-changning',
    role: 'field-official',
    district: '310105',
    subdistrict: '310105002',
    department: 'enterprise-reopening',
    name: 'Subdistrict inspector, Jiangsu Road',
  },
  commission: { sub: 'dev-eic-desk', role: 'department', department: 'enterprise-reopening', name: 'Economy and informatization commission' },
} as const satisfies Record<string, Actor>;

export interface EmbeddedReopening {
  readonly url: string;
  readonly tokens: { readonly [K in keyof typeof REOPENING_ACTORS]: string };
  /** Registers the scenario's enterprises, then keeps them moving. */
  startScenario(log: (message: string) => void): void;
  stop(): Promise<void>;
}

/** The enterprise-reopening service in the embedded city, on the city's event store, with its scenario. */
export async function startEmbeddedReopening(config: ResolvedEmbeddedConfig, store: EventStore, storeDb: SqlDatabase): Promise<EmbeddedReopening> {
  const app = await createEnterpriseReopeningApp({
    eventStore: withContractValidation(store),
    db: storeDb,
    scheduling: { db: storeDb },
    appealAnswerWithinMs: config.APPEAL_ANSWER_MINUTES * 60_000,
    jwtSecret: config.jwtSecret,
    logLevel: config.LOG_LEVEL,
    readiness: [{ name: 'event-store', check: () => store.ping() }],
  });
  await app.listen(config.ENTERPRISE_REOPENING_PORT, config.HOST);
  const url = `http://${config.HOST}:${config.ENTERPRISE_REOPENING_PORT}`;
  const sign = (actor: Actor) => issueToken(actor, config.jwtSecret, { expiresIn: '12h' });
  let scenario: ReopeningScenario | undefined;
  return {
    url,
    tokens: { enterprise: sign(REOPENING_ACTORS.enterprise), inspector: sign(REOPENING_ACTORS.inspector), commission: sign(REOPENING_ACTORS.commission) },
    startScenario(log) {
      scenario = new ReopeningScenario({
        client: new CanvassClient(url),
        enterprises: planEnterprises(config.SCENARIO_ENTERPRISES),
        jwtSecret: config.jwtSecret,
        stepsPerSecond: config.SCENARIO_REOPENING_STEPS_PER_SECOND,
        log,
      });
      const running = scenario;
      void running.register().then(
        () => running.start(),
        (error: Error) => log(`scenario: enterprise registration stopped: ${error.message}`),
      );
    },
    async stop() {
      scenario?.stop();
      await shutdownGracefully(app);
    },
  };
}
