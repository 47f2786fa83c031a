/**
 * Services of a benchmark in child processes of its script, driven over IPC.
 *
 * A service in the load generator's own process shares one event loop with it: the
 * latency then mostly measures the two queueing behind each other, and the service's CPU
 * cannot be told apart. As in stack mode, where each service is its own deployable, every
 * service here gets a process of its own; the script forks itself with a role argument,
 * the child starts the service, answers `ready` with its URL, and on request its CPU and
 * the counters the benchmark attributes latency with.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across the processes of this machine. */
export const now = (): number => performance.timeOrigin + performance.now();
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A count over time, recorded at every change: [wall-clock ms, count]. */
export type Samples = [number, number][];

/** What a child answers to `status`: its CPU so far, its counter's samples, and figures of its own (e.g. the relay's position). */
export interface ChildStatus {
  readonly samples: Samples;
  readonly cpuMs: number;
  readonly info: Readonly<Record<string, string>>;
}

type ToChild = { type: 'status' } | { type: 'stop' };
type FromChild = { type: 'ready'; url: string } | ({ type: 'status' } & ChildStatus) | { type: 'stopped' } | { type: 'failed'; error: string };

const SAMPLE_MS = 2;
/** How long a child may take to stop gracefully before it is sent SIGTERM. */
const STOP_GRACE_MS = 40_000;
/** How long a child may take after SIGTERM (writing a large CPU profile takes seconds) before it is killed. */
const KILL_AFTER_TERM_MS = 30_000;

function send(message: FromChild): void {
  process.send?.(message);
}

export interface ServeChildOptions {
  /** The child's URL (its HTTP server's). */
  readonly url: string;
  /** Stops the service (graceful shutdown). */
  readonly stop: () => Promise<void>;
  /** A counter recorded every 2 ms when it changed (e.g. events the relay had acknowledged). */
  readonly count?: () => number | Promise<number>;
  /** Figures read at each `status` request. */
  readonly info?: () => Promise<Record<string, string>>;
}

/**
 * In a child: reports ready, records `count`, answers the parent's requests, stops on request
 * or when the parent goes (it never outlives it).
 */
export function serveChild(options: ServeChildOptions): void {
  const samples: Samples = [];
  let last = -1;
  const count = options.count;
  const timer = count
    ? setInterval(() => {
        void Promise.resolve(count()).then((value) => {
          if (value !== last) samples.push([now(), (last = value)]);
        });
      }, SAMPLE_MS)
    : undefined;
  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    (stopping ??= (async () => {
      clearInterval(timer);
      await options.stop().catch((error: unknown) => process.stderr.write(`stop failed: ${String(error)}\n`));
    })());
  process.on('message', (message: ToChild) => {
    if (message.type === 'status') {
      void (options.info?.() ?? Promise.resolve({})).then((info) => {
        const cpu = process.cpuUsage();
        send({ type: 'status', samples, cpuMs: (cpu.user + cpu.system) / 1000, info });
      });
    }
    if (message.type === 'stop') void shutdown().then(() => process.send?.({ type: 'stopped' } satisfies FromChild, () => process.exit(0)));
  });
  process.on('disconnect', () => void shutdown().then(() => process.exit(0)));
  // The parent's last resort before SIGKILL: exit at once, but through process.exit, so that
  // `--cpu-prof` still writes its profile (a process killed by a signal writes none).
  process.on('SIGTERM', () => process.exit(143));
  send({ type: 'ready', url: options.url });
}

/**
 * The entry of a benchmark script: with a role argument (a child), runs that role's function,
 * reporting a failure to the parent; without, runs `main`.
 */
export function runBenchmark(main: () => Promise<void>, roles: Readonly<Record<string, () => Promise<void>>>): void {
  const role = process.argv[2];
  const entry = role === undefined ? main : roles[role];
  if (!entry) throw new Error(`unknown role ${role}; known: ${Object.keys(roles).join(', ')}`);
  entry().catch((error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (role) send({ type: 'failed', error: message });
    process.stderr.write(`${message}\n`);
    process.exit(1);
  });
}

/** Extra node flags of the service processes, from BENCH_CHILD_NODE_FLAGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`). */
export function childNodeFlags(variable = 'BENCH_CHILD_NODE_FLAGS'): string[] {
  return (process.env[variable] ?? '').split(' ').filter(Boolean);
}

export function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

/** A service in a child process of the benchmark script (`script`, forked with `role` as its argument). */
export class ServiceProcess {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<FromChild['type'], (m: FromChild) => void>();
  private readonly exited: Promise<void>;
  url = '';

  constructor(script: string, role: string, env: Record<string, string>, nodeFlags: readonly string[] = childNodeFlags()) {
    // The child's stdout goes to our stderr: stdout carries only the result lines.
    this.child = fork(script, [role], {
      env: { ...process.env, ...env },
      execArgv: ['-r', '@swc-node/register', ...nodeFlags],
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    this.child.on('message', (m: FromChild) => {
      if (m.type === 'failed') process.stderr.write(`${role}: ${m.error}\n`);
      this.waiting.get(m.type)?.(m);
    });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  async ready(): Promise<this> {
    const message = await Promise.race([this.next('ready'), this.exited.then(() => undefined)]);
    if (!message || message.type !== 'ready') throw new Error('a service process exited before it was ready');
    this.url = message.url;
    return this;
  }

  async status(): Promise<ChildStatus> {
    const answer = this.next('status');
    this.child.send({ type: 'status' } satisfies ToChild);
    const m = await Promise.race([answer, this.exited.then(() => undefined)]);
    if (!m || m.type !== 'status') throw new Error('a service process exited');
    return m;
  }

  /**
   * Graceful stop. A child that has not exited after STOP_GRACE_MS (longer than a service's own
   * bounded shutdown, the kit's 25 s by default) gets SIGTERM, on which it exits at once writing
   * its `--cpu-prof` profile; only one that still has not exited KILL_AFTER_TERM_MS later is killed.
   */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || !this.child.connected) return this.exited;
    this.child.send({ type: 'stop' } satisfies ToChild);
    let kill: NodeJS.Timeout | undefined;
    const term = setTimeout(() => {
      this.child.kill('SIGTERM');
      kill = setTimeout(() => this.child.kill('SIGKILL'), KILL_AFTER_TERM_MS);
    }, STOP_GRACE_MS);
    await this.exited;
    clearTimeout(term);
    clearTimeout(kill);
  }

  private next(type: FromChild['type']): Promise<FromChild> {
    return new Promise((resolve) => this.waiting.set(type, resolve));
  }
}
