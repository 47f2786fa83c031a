import { readFileSync } from 'fs';
import { Parser } from '@asyncapi/parser';
import { contractFiles } from './contract-test-support';
import { topicSettingsOf } from './topic-settings';
import { TOPICS } from './topics';

jest.setTimeout(60_000);

describe('topic settings', () => {
  it('are those of the AsyncAPI channel binding, for every contract topic', async () => {
    for (const files of contractFiles.topics) {
      const { document } = await new Parser().parse(readFileSync(files.asyncApiPath as string, 'utf8'), { source: files.asyncApiPath });
      const binding = document?.channels().all()[0].bindings().get('kafka')?.value() as {
        partitions: number;
        replicas: number;
        topicConfiguration?: Record<string, unknown>;
      };
      const settings = topicSettingsOf(files.topic);
      expect(settings).toMatchObject({ topic: files.topic, partitions: binding.partitions, replicas: binding.replicas });
      for (const [name, value] of Object.entries(binding.topicConfiguration ?? {})) {
        expect(settings?.config[name]).toBe(Array.isArray(value) ? value.join(',') : String(value));
      }
    }
  });

  it('give canvass its 12 partitions, 3 replicas and 30 days of retention', () => {
    expect(topicSettingsOf(TOPICS.canvass)).toEqual({
      topic: 'canvass.events.v1',
      partitions: 12,
      replicas: 3,
      config: { 'cleanup.policy': 'delete', 'retention.ms': '2592000000' },
    });
  });

  it('are undefined for a topic no contract describes', () => {
    expect(topicSettingsOf('no-such.events.v1')).toBeUndefined();
  });
});
