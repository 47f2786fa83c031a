import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError as ClassValidationError } from 'class-validator';

/** Start-up configuration is wrong; `problems` lists every bad or missing variable. */
export class ConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigurationError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the environment variables that `schema` declares (one property per
 * variable, decorated with class-validator rules; `@IsOptional()` ones may be
 * unset and keep their initialiser as default), converts number and boolean
 * properties, validates, and returns the typed instance. Reports every problem
 * at once, e.g. `Invalid configuration: PORT must be an integer number; DATABASE_URL is required`.
 *
 * ```ts
 * class CanvassConfig {
 *   @IsInt() @Min(1) PORT = 3000;
 *   @IsString() DATABASE_URL!: string;
 * }
 * const config = loadConfig(CanvassConfig);
 * ```
 */
export function loadConfig<T extends object>(schema: new () => T, env: Env = process.env): T {
  const defaults = new schema();
  const properties = declaredProperties(schema);
  const plain: Record<string, unknown> = {};
  for (const property of properties) {
    const raw = env[property];
    if (raw === undefined || raw.trim() === '') continue; // unset: keep the default, if any
    plain[property] = convert(raw.trim(), propertyType(schema, property, (defaults as Record<string, unknown>)[property]));
  }
  const instance = plainToInstance(schema, { ...pickDefined(defaults, properties), ...plain });
  const errors = validateSync(instance, { forbidUnknownValues: false });
  if (errors.length > 0) throw new ConfigurationError(errors.flatMap((e) => describe(e, plain)));
  return instance;
}

function declaredProperties(schema: new () => object): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

function pickDefined(defaults: object, properties: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const property of properties) {
    const value = (defaults as Record<string, unknown>)[property];
    if (value !== undefined) picked[property] = value;
  }
  return picked;
}

/** Declared type (`PORT: number`), or else the type of the initialiser (`PORT = 3000` reflects as Object). */
function propertyType(schema: new () => object, property: string, defaultValue: unknown): unknown {
  const declared: unknown = Reflect.getMetadata('design:type', schema.prototype, property);
  if (declared === Number || declared === Boolean) return declared;
  if (typeof defaultValue === 'number') return Number;
  if (typeof defaultValue === 'boolean') return Boolean;
  return declared;
}

/** Environment values are strings; numbers and booleans are converted, and left as text if they don't parse (so validation names them). */
function convert(raw: string, type: unknown): unknown {
  if (type === Number) {
    const n = Number(raw);
    return Number.isNaN(n) ? raw : n;
  }
  if (type === Boolean) {
    const lower = raw.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(lower)) return true;
    if (['false', '0', 'no', 'off'].includes(lower)) return false;
    return raw;
  }
  return raw;
}

function describe(error: ClassValidationError, supplied: Record<string, unknown>): string[] {
  if (!(error.property in supplied) && error.value === undefined) return [`${error.property} is required`];
  return Object.values(error.constraints ?? {});
}
