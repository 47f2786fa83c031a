import { createKafka } from '@city/kafka';
import type { SqlDatabase } from '@city/sql';
import { KafkaEventTransport } from './kafka-event-transport';

// Which topics a consumer subscribes to follows from its patterns alone: no broker, no database.
function transport(): KafkaEventTransport {
  return new KafkaEventTransport({ kafka: createKafka({ brokers: ['127.0.0.1:1'], clientId: 'unit' }), db: {} as SqlDatabase, groupId: 'policy-relief' });
}

describe('KafkaEventTransport topics', () => {
  it('subscribes to the topic of every context its patterns name, once each', () => {
    const t = transport();
    t.addHandler('city.enterprise-reopening.AppealFiled.v1', async () => undefined, true);
    t.addHandler('city.enterprise-reopening.AppealDecided.v2', async () => undefined, true);
    t.addHandler('city.canvass.UnitRegistered.v1', async () => undefined, true);
    expect(t.topics().sort()).toEqual(['canvass.events.v1', 'enterprise-reopening.events.v1']);
  });

  it('refuses a pattern that is not a CloudEvents type of ours', () => {
    const t = transport();
    t.addHandler('canvass.events.v1', async () => undefined, true);
    expect(() => t.topics()).toThrow("@EventPattern('canvass.events.v1') is not a CloudEvents type");
  });
});
