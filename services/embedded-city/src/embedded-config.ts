import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';
import { loadConfig } from '@city/observability';

/** Settings of `npm start`, all optional: the defaults give a working city on one machine. */
export class EmbeddedCityConfig {
  /** The operations center and its dashboard. */
  @IsInt() @Min(1) @Max(65535) PORT = 3000;
  /** The canvass service's API (the field app and district systems call it). */
  @IsInt() @Min(1) @Max(65535) CANVASS_PORT = 3001;
  /** The policy-relief service's API (enterprises apply, issuing offices decide). */
  @IsInt() @Min(1) @Max(65535) POLICY_RELIEF_PORT = 3004;
  /** The traveller-health service's API (phones at checkpoints, kiosks, community workers). */
  @IsInt() @Min(1) @Max(65535) TRAVELLER_HEALTH_PORT = 3002;
  @IsString() HOST = '127.0.0.1';
  /** Where PGlite keeps the event store and the read models; a restart keeps the history. */
  @IsString() DATA_DIR = 'data';
  /** Shared secret of the bearer tokens; generated once into the data folder when absent. */
  @IsOptional() @IsString() JWT_SECRET?: string;
  /** `off` starts an empty city with no simulated officials. */
  @IsIn(['on', 'off']) SCENARIO = 'on';
  /** Canvass visits per second the scenario's officials record. */
  @IsInt() @Min(0) @Max(500) SCENARIO_VISITS_PER_SECOND = 15;
  /** Traveller registrations per second on average over a day (the city saw about 3/s); more by day. */
  @IsNumber() @Min(0) @Max(500) SCENARIO_ARRIVALS_PER_SECOND = 3;
  @IsString() LOG_LEVEL = 'error';
  /** The enterprise-reopening service's API (enterprises, inspectors, the commission). */
  @IsInt() @Min(1) @Max(65535) ENTERPRISE_REOPENING_PORT = 3003;
  /** Enterprises the scenario registers over the 16 districts. */
  @IsInt() @Min(1) @Max(100000) SCENARIO_ENTERPRISES = 2400;
  /** Reopening steps per second (declarations, inspections, daily reports, appeals) once they are registered. */
  @IsInt() @Min(0) @Max(500) SCENARIO_REOPENING_STEPS_PER_SECOND = 25;
  /** How long a department has to answer an appeal before it is escalated (72 hours in stack mode; short here, so some go overdue). */
  @IsInt() @Min(1) @Max(4320) APPEAL_ANSWER_MINUTES = 5;
}

export interface ResolvedEmbeddedConfig extends EmbeddedCityConfig {
  readonly dataDir: string;
  readonly jwtSecret: string;
}

export function resolveEmbeddedConfig(env: NodeJS.ProcessEnv = process.env): ResolvedEmbeddedConfig {
  const config = loadConfig(EmbeddedCityConfig, env);
  const dataDir = resolve(config.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  return Object.assign(config, { dataDir, jwtSecret: config.JWT_SECRET ?? persistentSecret(dataDir) });
}

/** A secret made on the first start and kept beside the data, so printed tokens stay valid across restarts. */
export function persistentSecret(dataDir: string, name = 'jwt-secret'): string {
  const file = join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
