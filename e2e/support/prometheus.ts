import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as YAML from 'yaml';
import { freePort } from './free-port';

/** Debian's `prometheus` package (CI installs it, see .ci/run); PROMETHEUS_BIN names another. */
export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

export interface ScrapeTarget {
  /** The job name, e.g. `canvass`. */
  readonly job: string;
  /** host:port serving /metrics. */
  readonly address: string;
}

/** One sample of an instant vector: its labels and its value. */
export interface Sample {
  readonly metric: Record<string, string>;
  readonly value: number;
}

export interface RuleState {
  readonly group: string;
  readonly name: string;
  readonly type: 'recording' | 'alerting';
  readonly health: 'ok' | 'err' | 'unknown';
  readonly lastError?: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A real Prometheus server for a test: a generated configuration that scrapes
 * the given targets every second (with the `platform: city` label the rules
 * select on) and loads the given rule files, its own port and a temporary data
 * folder. `query` runs PromQL through the HTTP API.
 */
export class PrometheusServer {
  private constructor(
    readonly url: string,
    private readonly dir: string,
    private readonly child: ChildProcess,
    private readonly exited: Promise<void>,
  ) {}

  static async start(options: { readonly targets: readonly ScrapeTarget[]; readonly ruleFiles: readonly string[] }): Promise<PrometheusServer> {
    if (!existsSync(PROMETHEUS_BIN)) throw new Error(`${PROMETHEUS_BIN} not found: install Debian's prometheus package (or set PROMETHEUS_BIN)`);
    const dir = mkdtempSync(join(tmpdir(), 'city-prometheus-'));
    const port = await freePort();
    const config = {
      global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s', external_labels: { environment: 'e2e' } },
      rule_files: options.ruleFiles,
      scrape_configs: options.targets.map((t) => ({
        job_name: t.job,
        metrics_path: '/metrics',
        static_configs: [{ targets: [t.address], labels: { platform: 'city' } }],
      })),
    };
    const configFile = join(dir, 'prometheus.yml');
    writeFileSync(configFile, YAML.stringify(config));
    const logFile = join(dir, 'prometheus.log');
    const out = openSync(logFile, 'a');
    const child = spawn(
      PROMETHEUS_BIN,
      [`--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      { stdio: ['ignore', out, out] },
    );
    closeSync(out);
    // If the test process exits without stopping it, stop it then.
    const orphanGuard = () => child.kill('SIGKILL');
    process.once('exit', orphanGuard);
    const exited = new Promise<void>((resolve) =>
      child.once('exit', () => {
        process.off('exit', orphanGuard);
        resolve();
      }),
    );
    const server = new PrometheusServer(`http://127.0.0.1:${port}`, dir, child, exited);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) {
        const log = readFileSync(logFile, 'utf8');
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`prometheus exited with ${String(child.exitCode)}:\n${log}`);
      }
      const ready = await fetch(`${server.url}/-/ready`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ready) return server;
      if (Date.now() > deadline) {
        await server.stop();
        throw new Error('prometheus was not ready within 60 s');
      }
      await sleep(200);
    }
  }

  /** An instant PromQL query, evaluated now. */
  async query(promql: string): Promise<Sample[]> {
    const body = await this.api<{ resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] }>(
      `/api/v1/query?query=${encodeURIComponent(promql)}`,
    );
    if (body.resultType !== 'vector') throw new Error(`${promql}: a ${body.resultType}, not an instant vector`);
    return body.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  }

  /** Every rule loaded, with its health after the last evaluation. */
  async rules(): Promise<RuleState[]> {
    const body = await this.api<{ groups: { name: string; rules: { name: string; type: string; health: string; lastError?: string }[] }[] }>('/api/v1/rules');
    return body.groups.flatMap((g) =>
      g.rules.map((r) => ({
        group: g.name,
        name: r.name,
        type: r.type as RuleState['type'],
        health: r.health as RuleState['health'],
        ...(r.lastError ? { lastError: r.lastError } : {}),
      })),
    );
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await this.exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async api<T>(path: string): Promise<T> {
    const res = await fetch(`${this.url}${path}`, { signal: AbortSignal.timeout(10_000) });
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`${path}: ${body.error ?? res.status}`);
    return body.data;
  }
}
