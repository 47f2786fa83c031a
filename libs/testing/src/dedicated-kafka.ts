import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { freePort } from './free-port';

const KAFKA_UP = join(__dirname, '..', '..', '..', 'deploy', 'local', 'kafka-up.sh');

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A Kafka broker of the test's own, started by `deploy/local/kafka-up.sh` on free
 * ports and a temporary data folder (KAFKA_PORT, KAFKA_CONTROLLER_PORT,
 * KAFKA_DATA_DIR), so that a test may kill it without touching the broker other
 * tests share. Restarting keeps its topics and offsets, as a restarted broker does.
 * With `scram`, its listener takes only SASL/SCRAM (SHA-512 and SHA-256) clients
 * with those credentials (KAFKA_SCRAM_USER, KAFKA_SCRAM_PASSWORD); with `tls` too,
 * a second listener (`tlsBrokers`, KAFKA_TLS_PORT) takes them over TLS, with PLAIN
 * as well, its certificate signed by the CA in `caFile`.
 */
export class DedicatedKafka {
  private constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly controllerPort: number,
    readonly scram: ScramUser | undefined,
    readonly tlsPort: number | undefined,
  ) {}

  /** The SASL_SSL listener's address (with `tls`). */
  get tlsBrokers(): string[] {
    if (this.tlsPort === undefined) throw new Error('this broker was started without TLS');
    return [`127.0.0.1:${this.tlsPort}`];
  }

  /** PEM of the CA that signed the TLS listener's certificate (kafka-up.sh makes it on first start). */
  get caFile(): string {
    return join(this.dataDir, 'tls', 'ca.crt');
  }

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  /**
   * The broker's ports and data folder, chosen now (clients can be given its
   * address at once); `up()` starts it.
   */
  static async create(options: { readonly scram?: ScramUser; readonly tls?: boolean } = {}): Promise<DedicatedKafka> {
    if (options.tls && !options.scram) throw new Error('the TLS listener takes SASL clients: give `scram` too');
    const dataDir = mkdtempSync(join(tmpdir(), 'city-kafka-'));
    const taken = new Set<number>();
    const port = await freePortBesides(taken);
    const controllerPort = await freePortBesides(taken);
    const tlsPort = options.tls ? await freePortBesides(taken) : undefined;
    const kafka = new DedicatedKafka(dataDir, port, controllerPort, options.scram, tlsPort);
    // The broker runs in a session of its own (kafka-up.sh): if the test process exits without stopping it, kill it then.
    const orphanGuard = () => {
      const pid = kafka.pid();
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
    };
    process.once('exit', orphanGuard);
    kafka.stopped.then(
      () => process.off('exit', orphanGuard),
      () => undefined,
    );
    return kafka;
  }

  /** The broker's process id while it runs (kafka-up.sh records it). */
  pid(): number | undefined {
    const file = join(this.dataDir, 'kafka.pid');
    if (!existsSync(file)) return undefined;
    const pid = Number(readFileSync(file, 'utf8').trim());
    return pid > 0 && alive(pid) ? pid : undefined;
  }

  /** kill -9 of the broker; returns once the process is gone. */
  async kill9(): Promise<void> {
    const pid = this.pid();
    if (pid === undefined) return;
    process.kill(pid, 'SIGKILL');
    while (alive(pid)) await sleep(50);
  }

  /**
   * Starts the broker (again) and waits until it answers a client's metadata
   * request (up to `timeoutMs`). kafka-up.sh only starts it (KAFKA_WAIT=no): its
   * own check starts a JVM per try, which takes tens of seconds on a loaded machine.
   */
  async up(timeoutMs = 300_000): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const output: string[] = [];
      const child = spawn('bash', [KAFKA_UP], {
        env: {
          ...process.env,
          KAFKA_PORT: String(this.port),
          KAFKA_CONTROLLER_PORT: String(this.controllerPort),
          KAFKA_DATA_DIR: this.dataDir,
          KAFKA_HEAP_OPTS: process.env.KAFKA_HEAP_OPTS ?? '-Xmx512m -Xms256m',
          KAFKA_WAIT: 'no',
          ...(this.scram ? { KAFKA_SCRAM_USER: this.scram.username, KAFKA_SCRAM_PASSWORD: this.scram.password } : {}),
          ...(this.tlsPort === undefined ? {} : { KAFKA_TLS_PORT: String(this.tlsPort) }),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kafka-up.sh exited with ${String(code)}:\n${output.join('')}`))));
    });
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      if (this.pid() === undefined) throw new Error(`the broker exited while starting; log:\n${this.logTail()}`);
      const admin = new Kafka({
        brokers: this.brokers,
        clientId: 'dedicated-kafka-probe',
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
        connectionTimeout: 3000,
        requestTimeout: 10_000,
        ...(this.scram ? { sasl: this.sasl() } : {}),
      }).admin();
      try {
        await admin.connect();
        await admin.describeCluster();
        await admin.listTopics();
        return;
      } catch (error) {
        last = error;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
      await sleep(500);
    }
    throw new Error(`the broker on ${this.brokers[0]} did not answer within ${timeoutMs} ms (${String(last)}); log:\n${this.logTail()}`);
  }

  /** SASL options of a client of this broker's SCRAM user. */
  sasl(mechanism: 'scram-sha-512' | 'scram-sha-256' = 'scram-sha-512'): SASLOptions {
    if (!this.scram) throw new Error('this broker was started without SCRAM');
    return { mechanism, username: this.scram.username, password: this.scram.password };
  }

  private logTail(): string {
    const file = join(this.dataDir, 'kafka.log');
    return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-30).join('\n') : '(no log)';
  }

  private markStopped: () => void = () => undefined;
  private readonly stopped = new Promise<void>((resolve) => (this.markStopped = resolve));

  /** Kills the broker and deletes its data. */
  async stop(): Promise<void> {
    await this.kill9().catch(() => undefined);
    rmSync(this.dataDir, { recursive: true, force: true });
    this.markStopped();
  }
}

/** A free port other than those already `taken` (which it joins). */
async function freePortBesides(taken: Set<number>): Promise<number> {
  let port = await freePort();
  while (taken.has(port)) port = await freePort();
  taken.add(port);
  return port;
}

/** The process exists and is not a zombie waiting for a parent that does not reap it. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** A SCRAM user of a dedicated broker (letters, digits, . _ - only; see deploy/local/kafka-up.sh). */
export interface ScramUser {
  readonly username: string;
  readonly password: string;
}
