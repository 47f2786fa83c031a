/**
 * The event contracts as data: which event types exist, at which versions, on
 * which topic, with which JSON Schema. Built from the files under
 * contracts/topics (read once, on first use) and checked for consistency, so a
 * misplaced or duplicated schema fails loudly instead of letting events through.
 *
 * Keyed by event type name, which is unique across contexts, and schema version.
 * No validation happens here: the compiled validators live in `@city/event-schemas`
 * (contracts stay a leaf that imports no library of ours).
 */
import { readContractFiles, type JsonSchemaDocument, type SchemaFile } from './schema-files';
import { TOPICS } from './topics';

export interface EventContract {
  readonly type: string;
  readonly schemaVersion: number;
  readonly topic: string;
  readonly schema: JsonSchemaDocument;
  readonly path: string;
}

export interface EventCatalog {
  /** Every schema file (common, shared, keys, events): what a validator loads so cross-file `$ref`s resolve. */
  readonly schemas: readonly SchemaFile[];
  /** Event type → its versions, ascending from 1 without gaps. */
  readonly events: ReadonlyMap<string, readonly EventContract[]>;
  /** Topic → the schema of its Kafka key. */
  readonly keys: ReadonlyMap<string, SchemaFile>;
}

let catalog: EventCatalog | undefined;

/** The catalog of the contract files, read and checked on first use. */
export function eventCatalog(): EventCatalog {
  catalog ??= buildCatalog();
  return catalog;
}

/** The contract of a type at a version; `undefined` when none exists. */
export function eventContractOf(type: string, schemaVersion: number): EventContract | undefined {
  return eventCatalog()
    .events.get(type)
    ?.find((c) => c.schemaVersion === schemaVersion);
}

/** The newest contract of a type (what producers write); `undefined` for an unknown type. */
export function latestEventContractOf(type: string): EventContract | undefined {
  const versions = eventCatalog().events.get(type);
  return versions?.[versions.length - 1];
}

/** True when a schema exists for the type (and, if given, the version). */
export function isKnownEventType(type: string, schemaVersion?: number): boolean {
  return schemaVersion === undefined ? eventCatalog().events.has(type) : eventContractOf(type, schemaVersion) !== undefined;
}

/** Every event type that has a schema, in all contexts, sorted. */
export function knownEventTypes(): readonly string[] {
  return [...eventCatalog().events.keys()].sort();
}

/** The event types a topic carries, sorted; empty for a topic without contracts. */
export function eventTypesOfTopic(topic: string): readonly string[] {
  return [...eventCatalog().events.values()]
    .filter((versions) => versions[0].topic === topic)
    .map((versions) => versions[0].type)
    .sort();
}

function buildCatalog(): EventCatalog {
  const files = readContractFiles();
  const knownTopics = new Set<string>(Object.values(TOPICS));
  const events = new Map<string, EventContract[]>();
  const keys = new Map<string, SchemaFile>();
  for (const topic of files.topics) {
    if (!knownTopics.has(topic.topic)) throw new Error(`contracts/topics/${topic.topic} is not in TOPICS (contracts/src/topics.ts)`);
    keys.set(topic.topic, topic.key);
    for (const file of topic.events) {
      const versions = events.get(file.type) ?? [];
      const elsewhere = versions.find((v) => v.topic !== topic.topic);
      if (elsewhere) throw new Error(`${file.path}: event type ${file.type} is already a contract of ${elsewhere.topic}`);
      versions.push({ type: file.type, schemaVersion: file.schemaVersion, topic: topic.topic, schema: file.schema, path: file.path });
      events.set(file.type, versions);
    }
  }
  for (const [type, versions] of events) {
    versions.sort((a, b) => a.schemaVersion - b.schemaVersion);
    // Versions are 1, 2, …: a gap would mean an upcaster from a version nobody defined.
    versions.forEach((v, i) => {
      if (v.schemaVersion !== i + 1) throw new Error(`Event type ${type} has versions ${versions.map((x) => x.schemaVersion).join(', ')}; expected 1..n`);
    });
  }
  const schemas = [...files.common, ...files.topics.flatMap((t) => [t.key, ...t.shared, ...t.events])];
  return { schemas, events, keys };
}
