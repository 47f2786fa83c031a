/**
 * Finds and reads the contract files under contracts/topics:
 *
 *   topics/common/*.schema.json                    definitions shared by every context
 *   topics/<topic>/*.schema.json                   definitions shared within a topic
 *   topics/<topic>/key.schema.json                 the Kafka key of the topic
 *   topics/<topic>/schemas/<Type>.v<N>.schema.json the data of one event type at one version
 *   topics/<topic>/asyncapi.yaml                   the AsyncAPI 3 document of the topic
 *
 * Paths resolve from this file's folder, so the files are found from any working
 * directory (jest, @swc-node/register). A misnamed or inconsistent file throws:
 * a contract that silently goes missing would let bad events through.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';

export const TOPICS_DIR = join(__dirname, '..', 'topics');
const COMMON_FOLDER = 'common';
const EVENT_SCHEMA_FILE = /^([A-Z][A-Za-z0-9]*)\.v([1-9][0-9]*)\.schema\.json$/;

export interface JsonSchemaDocument {
  readonly $id: string;
  readonly [keyword: string]: unknown;
}

export interface SchemaFile {
  readonly path: string;
  /** The topic folder, or `common` for city-wide definitions. */
  readonly folder: string;
  readonly schema: JsonSchemaDocument;
}

export interface EventSchemaFile extends SchemaFile {
  readonly type: string;
  readonly schemaVersion: number;
}

export interface TopicFiles {
  readonly topic: string;
  readonly key: SchemaFile;
  readonly events: readonly EventSchemaFile[];
  readonly shared: readonly SchemaFile[];
  readonly asyncApiPath: string | undefined;
}

export interface ContractFiles {
  readonly common: readonly SchemaFile[];
  readonly topics: readonly TopicFiles[];
}

export function readContractFiles(dir: string = TOPICS_DIR): ContractFiles {
  const folders = readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort();
  return {
    common: folders.includes(COMMON_FOLDER) ? schemaFilesIn(join(dir, COMMON_FOLDER), COMMON_FOLDER) : [],
    topics: folders.filter((f) => f !== COMMON_FOLDER).map((topic) => readTopic(join(dir, topic), topic)),
  };
}

function readTopic(dir: string, topic: string): TopicFiles {
  const files = schemaFilesIn(dir, topic);
  const key = files.find((f) => f.path === join(dir, 'key.schema.json'));
  if (!key) throw new Error(`Contract topic ${topic} has no key.schema.json`);
  const schemasDir = join(dir, 'schemas');
  const events = exists(schemasDir)
    ? readdirSync(schemasDir)
        .sort()
        .map((name) => readEventSchema(join(schemasDir, name), name, topic))
    : [];
  const asyncApiPath = join(dir, 'asyncapi.yaml');
  return { topic, key, events, shared: files.filter((f) => f !== key), asyncApiPath: exists(asyncApiPath) ? asyncApiPath : undefined };
}

function readEventSchema(path: string, name: string, topic: string): EventSchemaFile {
  const match = EVENT_SCHEMA_FILE.exec(name);
  if (!match) throw new Error(`${path}: event schema files are named <EventType>.v<N>.schema.json`);
  const [, type, version] = match;
  const file = readSchemaFile(path, topic);
  if (!file.schema.$id.endsWith(`/${type}/v${version}`)) {
    throw new Error(`${path}: $id ${file.schema.$id} must end with /${type}/v${version}`);
  }
  return { ...file, type, schemaVersion: Number(version) };
}

function schemaFilesIn(dir: string, folder: string): SchemaFile[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.schema.json'))
    .sort()
    .map((name) => readSchemaFile(join(dir, name), folder));
}

function readSchemaFile(path: string, folder: string): SchemaFile {
  let schema: unknown;
  try {
    schema = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof schema !== 'object' || schema === null || typeof (schema as { $id?: unknown }).$id !== 'string') {
    throw new Error(`${path}: a contract schema is a JSON object with a $id`);
  }
  return { path, folder, schema: schema as JsonSchemaDocument };
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
