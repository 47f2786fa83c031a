/**
 * Each AsyncAPI document under contracts/topics parses with the official parser
 * (relative $refs resolved from the file), has no error diagnostics, and describes
 * exactly the event types whose schemas live in its topic folder, with their key.
 * That the relay's CloudEvents headers match the documents is tested beside the
 * mapping (libs/kafka/src/cloudevents-asyncapi.spec.ts).
 */
import { readFileSync } from 'fs';
import { Parser, type AsyncAPIDocumentInterface, type Diagnostic } from '@asyncapi/parser';
import { contractFiles } from './contract-test-support';
import { eventTypesOfTopic, latestEventContractOf } from './event-catalog';

jest.setTimeout(60_000);

const ERROR = 0; // Spectral's DiagnosticSeverity.Error
const errorsOf = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.severity === ERROR).map((d) => `${d.code} ${d.message} at ${d.path.join('.')}`);

async function parse(path: string, text = readFileSync(path, 'utf8')) {
  return new Parser().parse(text, { source: path });
}

it('every topic folder has an AsyncAPI document', () => {
  expect(contractFiles.topics.length).toBeGreaterThan(0);
  for (const topic of contractFiles.topics) expect(topic.asyncApiPath).toBeDefined();
});

describe.each(contractFiles.topics.map((t) => [t.topic, t] as const))('AsyncAPI document of %s', (topic, files) => {
  let document: AsyncAPIDocumentInterface;

  beforeAll(async () => {
    const { document: parsed, diagnostics } = await parse(files.asyncApiPath as string);
    expect(errorsOf(diagnostics)).toEqual([]);
    expect(parsed).toBeDefined();
    document = parsed as AsyncAPIDocumentInterface;
  });

  it('is AsyncAPI 3.0.0 with one Kafka channel whose address is the topic', () => {
    expect(document.version()).toBe('3.0.0');
    const channels = document.channels().all();
    expect(channels.map((c) => c.address())).toEqual([topic]);
    const kafka = channels[0].bindings().get('kafka')?.value() as { topic: string; partitions: number; replicas: number };
    expect(kafka.topic).toBe(topic);
    expect(Number.isInteger(kafka.partitions) && kafka.partitions > 0).toBe(true);
    expect(Number.isInteger(kafka.replicas) && kafka.replicas > 0).toBe(true);
  });

  it('has one message per event type of the topic, carrying the latest schema of that type', () => {
    const messages = document.messages().all();
    expect(messages.map((m) => m.id()).sort()).toEqual([...eventTypesOfTopic(topic)]);
    for (const message of messages) {
      const type = message.id();
      expect(message.name()).toBe(type);
      expect(message.payload()?.id()).toBe(latestEventContractOf(type)?.schema.$id);
      const binding = message.bindings().get('kafka')?.value() as { key: { $id: string } };
      expect(binding.key.$id).toBe(files.key.schema.$id);
    }
  });

  it('is sent by the producing context and received by the operations center, every message on both sides', () => {
    const operations = document.operations().all();
    expect(operations.map((o) => o.action()).sort()).toEqual(['receive', 'send']);
    for (const operation of operations) {
      expect(
        operation
          .channels()
          .all()
          .map((c) => c.address()),
      ).toEqual([topic]);
      expect(
        operation
          .messages()
          .all()
          .map((m) => m.id())
          .sort(),
      ).toEqual([...eventTypesOfTopic(topic)]);
    }
  });

  it('fails with error diagnostics when a payload $ref points nowhere (the check above can fail)', async () => {
    const text = readFileSync(files.asyncApiPath as string, 'utf8').replace(/\.v1\.schema\.json/, '.v99.schema.json');
    const { diagnostics } = await parse(files.asyncApiPath as string, text);
    expect(errorsOf(diagnostics).length).toBeGreaterThan(0);
  });
});
