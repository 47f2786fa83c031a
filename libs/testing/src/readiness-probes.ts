import { createServer } from 'node:net';
import { eventually } from './infrastructure';

/**
 * The probes of a start-up test: a service started while Kafka is down is
 * live but not ready, and becomes ready once the broker answers. Shared by
 * every service's stack spec (the kit's department service, the operations
 * center).
 */

/** A broker address on which nothing listens (a port bound, then released): the service finds Kafka down. */
export async function closedBrokerAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `127.0.0.1:${port}`;
}

/** What /health/ready answers: the checks that passed (`info`) and those that failed (`error`). */
export interface ReadinessAnswer {
  readonly status: number;
  readonly info?: Record<string, unknown>;
  readonly error?: Record<string, unknown>;
}

/** Asserts that the service at `url` is live (200) but not ready (503), and returns its readiness answer for more checks. */
export async function expectLiveButNotReady(url: string): Promise<ReadinessAnswer> {
  const live = await fetch(`${url}/health/live`);
  if (live.status !== 200) throw new Error(`/health/live answered ${live.status}, expected 200`);
  const ready = await fetch(`${url}/health/ready`);
  const body = (await ready.json()) as Omit<ReadinessAnswer, 'status'>;
  if (ready.status !== 503) throw new Error(`/health/ready answered ${ready.status}, expected 503: ${JSON.stringify(body)}`);
  return { status: ready.status, ...body };
}

/** Waits until /health/ready of the service at `url` answers 200 (the broker reached, what depends on it running). */
export async function waitUntilReady(url: string, timeoutMs = 60_000): Promise<void> {
  await eventually(async () => ((await fetch(`${url}/health/ready`)).status === 200 ? true : undefined), timeoutMs, 250);
}
