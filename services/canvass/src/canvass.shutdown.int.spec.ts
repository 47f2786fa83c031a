import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { createTestDatabase, eventually, type TestDatabase } from '@city/testing';

/**
 * The canvass process as an orchestrator runs it (main.ts, environment
 * variables), against a broker that accepts connections and never answers (a
 * broker host that hangs, the worst case for a client). A SIGTERM ends it
 * within SHUTDOWN_TIMEOUT_MS, whatever the relay's producer and the readiness
 * client are waiting for.
 */

const SHUTDOWN_TIMEOUT_MS = 4000;
/** Room for a loaded machine above the bound; a shutdown that waits for the Kafka client's retries takes 45 s or more. */
const SLACK_MS = 15_000;

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let database: TestDatabase;
let silentBroker: Server;
const sockets: Socket[] = [];
let child: ChildProcess | undefined;

beforeAll(async () => {
  database = await createTestDatabase('canvass_shutdown');
  silentBroker = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => silentBroker.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => silentBroker.close(() => resolve()));
  await database.drop();
});

it('exits within SHUTDOWN_TIMEOUT_MS of a SIGTERM while the broker does not answer', async () => {
  const { port } = silentBroker.address() as { port: number };
  const proc = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'main.ts')], {
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      KAFKA_BROKERS: `127.0.0.1:${port}`,
      JWT_SECRET: 'canvass-shutdown-secret-0123456789abcdef',
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let output = '';
  proc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));

  // Listening, and the relay (holding the lock) is trying to reach the broker.
  await eventually(async () => (output.includes('This replica now runs the relay') ? true : undefined), 120_000, 100).catch((error: unknown) => {
    throw new Error(`${String(error)}; the service said:\n${output}`);
  });
  // The Kafka clients (relay producers, readiness) did connect, and wait for an answer.
  await eventually(async () => (sockets.length > 0 ? true : undefined), 60_000, 100);

  proc.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const tooLate = new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), SHUTDOWN_TIMEOUT_MS + SLACK_MS)));
  const result = await Promise.race([exited, tooLate]);
  clearTimeout(timer);
  expect(result).toEqual({ code: 143, signal: null }); // 128 + SIGTERM, as a shell reports it
  expect(output).toMatch(/SIGTERM received/);
  expect(output).toMatch(/Shutdown finished|did not finish/);
}, 180_000);
