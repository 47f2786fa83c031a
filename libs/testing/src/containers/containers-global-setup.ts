import { GenericContainer, getContainerRuntimeClient, RandomPortGenerator, Wait, type StartedTestContainer } from 'testcontainers';
import {
  containerSpec,
  environmentFor,
  servicesFor,
  TEST_CONTAINERS_VARIABLE,
  testInfraMode,
  type InfraService,
  type ServiceAddress,
} from './test-infrastructure';

/** Where the setup leaves the started containers for the teardown (same process). */
const STARTED = Symbol.for('city.test.containers');
type GlobalWithContainers = typeof globalThis & { [STARTED]?: StartedTestContainer[] };

/** What of Jest's global config the choice reads (structurally; Jest 30's shapes). */
interface JestGlobalConfig {
  readonly testPathPatterns?: { readonly patterns?: readonly string[] } | readonly string[];
}

/**
 * Jest global setup (jest.config.js wires it into the integration and e2e
 * projects only under `CITY_TEST_INFRA=testcontainers`): starts the containers the selected suites
 * need and puts their addresses in the environment, which the test workers
 * inherit. Ryuk, testcontainers' reaper, removes them if the run dies.
 */
export default async function setup(globalConfig: JestGlobalConfig = {}): Promise<void> {
  if (testInfraMode(process.env) !== 'testcontainers') return;
  const patterns = globalConfig.testPathPatterns;
  const services = servicesFor({
    override: process.env[TEST_CONTAINERS_VARIABLE],
    testPathPatterns: Array.isArray(patterns) ? patterns : ((patterns as { patterns?: readonly string[] } | undefined)?.patterns ?? []),
  });
  if (services.length === 0) return;
  const host = (await getContainerRuntimeClient()).info.containerRuntime.host;
  const kafkaHostPort = await new RandomPortGenerator().generatePort();
  const started = ((globalThis as GlobalWithContainers)[STARTED] ??= []);
  const addresses: Partial<Record<InfraService, ServiceAddress>> = {};
  // One after another: three JVM/database start-ups at once overload a small CI machine.
  for (const service of services) {
    const spec = containerSpec(service, { host, kafkaHostPort });
    const container = await new GenericContainer(spec.image)
      .withEnvironment({ ...spec.environment })
      .withExposedPorts(spec.port.host === undefined ? spec.port.container : { container: spec.port.container, host: spec.port.host })
      .withWaitStrategy(
        spec.wait.kind === 'log'
          ? Wait.forLogMessage(spec.wait.message, spec.wait.times)
          : Wait.forHttp(spec.wait.path, spec.port.container).forStatusCodeMatching((code) => code >= 200 && code < 300),
      )
      .withStartupTimeout(180_000)
      .start();
    started.push(container);
    addresses[service] = { host: container.getHost(), port: container.getMappedPort(spec.port.container) };
  }
  const env = environmentFor(addresses);
  Object.assign(process.env, env);
  process.stderr.write(
    `[test-infra] containers: ${Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}\n`,
  );
}

/** Jest global teardown: stops what `setup` started. */
export async function teardown(): Promise<void> {
  const holder = globalThis as GlobalWithContainers;
  const started = holder[STARTED] ?? [];
  holder[STARTED] = [];
  await Promise.allSettled(started.map((c) => c.stop()));
}
