import { type ChildProcess, fork } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const ENTRY = join(__dirname, 'stack-service.ts');

export type ServiceRole = 'canvass' | 'operations-center';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A service of the city in stack mode as a child process of the test
 * (e2e/support/stack-service.ts), on fixed ports (its API, and the management
 * port of /metrics and the probes as deployed) so that it comes back at the
 * same addresses after a restart. Its JSON logs go to `logFile`, whose tail a
 * failing wait shows. An exit the test did not ask for is counted and the
 * process is started again, as an orchestrator restarts a crashed pod.
 */
export class ServiceProcess {
  readonly url: string;
  /** /metrics, /docs and /health: the management port, as deployed (deploy/k8s, compose). */
  readonly managementUrl: string;
  /** Starts after the first, whether asked for or after a crash. */
  restarts = 0;
  /** Exits nobody asked for (a crash), each followed by a restart. */
  readonly crashes: string[] = [];
  private child?: ChildProcess;
  private exited: Promise<void> = Promise.resolve();
  private expectingExit = false;
  private stopped = false;
  /** How the last process exited. */
  private lastExit?: { readonly code: number | null; readonly signal: NodeJS.Signals | null };

  constructor(
    readonly role: ServiceRole,
    private readonly port: number,
    private readonly managementPort: number,
    private readonly env: Record<string, string>,
    readonly logFile: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.managementUrl = `http://127.0.0.1:${managementPort}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Spawns the process (returns at once; see `waitReady`). */
  start(): void {
    if (this.running) throw new Error(`${this.role} is already running`);
    if (this.child) this.restarts++;
    this.expectingExit = false;
    const out = openSync(this.logFile, 'a');
    const child = fork(ENTRY, [this.role], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...this.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        MANAGEMENT_PORT: String(this.managementPort),
        MANAGEMENT_HOST: '127.0.0.1',
      },
      execArgv: ['-r', '@swc-node/register'],
      stdio: ['ignore', out, out, 'ipc'],
    });
    closeSync(out);
    this.child = child;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.lastExit = { code, signal };
        if (!this.expectingExit && !this.stopped) {
          this.crashes.push(`${this.role} exited by itself (code ${String(code)}, signal ${String(signal)})`);
          // An orchestrator restarts a crashed service after a short back-off.
          setTimeout(() => {
            if (!this.stopped && !this.running) this.start();
          }, 1000).unref();
        }
        resolve();
      }),
    );
  }

  /** kill -9: no shutdown hook runs, nothing is flushed. */
  async kill9(): Promise<void> {
    if (!this.running) return;
    this.expectingExit = true;
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /**
   * SIGTERM, as an orchestrator stops a pod, and SIGKILL if it has not exited
   * after `graceMs` (its grace period). Resolves how long it took to exit and
   * how; the test starts it again (`start`), as after a crash.
   */
  async sigterm(graceMs: number): Promise<{ exitMs: number; code: number | null; signal: NodeJS.Signals | null; killedAfterGrace: boolean }> {
    if (!this.running) throw new Error(`${this.role} is not running`);
    this.expectingExit = true;
    const sent = Date.now();
    this.child?.kill('SIGTERM');
    let killedAfterGrace = false;
    const timer = setTimeout(() => {
      killedAfterGrace = true;
      this.child?.kill('SIGKILL');
    }, graceMs);
    await this.exited;
    clearTimeout(timer);
    return { exitMs: Date.now() - sent, code: this.lastExit?.code ?? null, signal: this.lastExit?.signal ?? null, killedAfterGrace };
  }

  /** SIGTERM (graceful shutdown), SIGKILL if it has not exited after `graceMs`. Never restarts it. */
  async stop(graceMs = 20_000): Promise<void> {
    this.stopped = true;
    if (!this.running) return;
    this.expectingExit = true;
    this.child?.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Waits until `/health/ready` answers 200 (store and broker reachable). */
  waitReady(timeoutMs: number): Promise<void> {
    return this.waitFor('/health/ready', timeoutMs);
  }

  /** Waits until `/health/live` answers 200 (listening). */
  waitLive(timeoutMs: number): Promise<void> {
    return this.waitFor('/health/live', timeoutMs);
  }

  /** The last lines of the service's log. */
  logTail(lines = 20): string {
    if (!existsSync(this.logFile)) return '(no log)';
    return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }

  private async waitFor(path: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      try {
        // Where the orchestrator's probes ask.
        const res = await fetch(`${this.managementUrl}${path}`, { signal: AbortSignal.timeout(5000) });
        if (res.status === 200) return;
        last = `${res.status} ${await res.text()}`;
      } catch (error) {
        last = String(error);
      }
      await sleep(250);
    }
    throw new Error(`${this.role} ${path} not 200 within ${timeoutMs} ms (last: ${last}); log:\n${this.logTail()}`);
  }
}
