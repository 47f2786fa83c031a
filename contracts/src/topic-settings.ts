/**
 * How a topic is to be created, as its AsyncAPI document says (the Kafka
 * channel binding: partitions, replicas, topic configuration). Every service
 * that creates a topic takes these settings, so it does not matter which one
 * comes first: the topic is the one the contract describes.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { TOPICS_DIR } from './schema-files';

export interface TopicSettings {
  readonly topic: string;
  readonly partitions: number;
  /** Replicas the contract asks for; a cluster with fewer brokers gets as many as it has (see the Kafka lib's provisioning). */
  readonly replicas: number;
  /** Topic-level configuration, e.g. `retention.ms`, as Kafka takes it (strings; lists comma-separated). */
  readonly config: Readonly<Record<string, string>>;
}

interface KafkaChannelBinding {
  readonly topic?: unknown;
  readonly partitions?: unknown;
  readonly replicas?: unknown;
  readonly topicConfiguration?: Readonly<Record<string, unknown>>;
}

const cache = new Map<string, TopicSettings | undefined>();

/** The settings of a contract topic (e.g. `canvass.events.v1`), or undefined when no contract describes it. */
export function topicSettingsOf(topic: string, dir: string = TOPICS_DIR): TopicSettings | undefined {
  const key = `${dir}\u0000${topic}`;
  if (!cache.has(key)) cache.set(key, readTopicSettings(topic, dir));
  return cache.get(key);
}

function readTopicSettings(topic: string, dir: string): TopicSettings | undefined {
  const path = join(dir, topic, 'asyncapi.yaml');
  if (!existsSync(path)) return undefined;
  const document = parse(readFileSync(path, 'utf8')) as { channels?: Record<string, { bindings?: { kafka?: KafkaChannelBinding } }> };
  const binding = Object.values(document.channels ?? {})
    .map((channel) => channel.bindings?.kafka)
    .find((kafka) => kafka?.topic === topic);
  if (!binding) throw new Error(`${path}: no channel has a Kafka binding for topic ${topic}`);
  const { partitions, replicas } = binding;
  if (!isPositiveInteger(partitions) || !isPositiveInteger(replicas)) throw new Error(`${path}: the Kafka binding needs integer partitions and replicas`);
  const config: Record<string, string> = {};
  for (const [name, value] of Object.entries(binding.topicConfiguration ?? {})) config[name] = Array.isArray(value) ? value.join(',') : String(value);
  return { topic, partitions, replicas, config };
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
