import { Writable } from 'node:stream';
import { logLevel } from 'kafkajs';
import { pino, type Logger } from 'pino';
import { pinoLogCreator } from './kafka-client';

/** A pino logger writing into an array, one parsed line per entry. */
function capture(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ base: { service: 'canvass' }, messageKey: 'msg', level: 'debug' }, sink), lines };
}

const entry = (level: logLevel, message: string, extra: Record<string, unknown> = {}) => ({
  namespace: 'Connection',
  level,
  label: 'ERROR',
  log: { timestamp: '2026-03-01T08:00:00.000Z', message, broker: '127.0.0.1:9092', clientId: 'canvass', ...extra },
});

describe('kafkajs logs through pino', () => {
  it('writes each line with time, service, the mapped level and kafkajs fields', () => {
    const { logger, lines } = capture();
    const log = pinoLogCreator(logger)(logLevel.WARN);
    log(entry(logLevel.ERROR, 'Connection error: connect ECONNREFUSED', { retryCount: 3 }));
    log(entry(logLevel.WARN, 'Broker is slow'));
    log(entry(logLevel.INFO, 'Consumer has joined the group'));
    log(entry(logLevel.DEBUG, 'Request Metadata(key: 3, version: 6)'));
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [50, 'Connection error: connect ECONNREFUSED'],
      [40, 'Broker is slow'],
      [30, 'Consumer has joined the group'],
      [20, 'Request Metadata(key: 3, version: 6)'],
    ]);
    expect(lines[0]).toMatchObject({ service: 'canvass', logger: 'kafkajs', namespace: 'Connection', broker: '127.0.0.1:9092', retryCount: 3 });
    expect(typeof lines[0].time).toBe('number');
    expect(lines[0]).not.toHaveProperty('timestamp');
  });

  it('leaves out the warning about bounded retries of idempotent producers', () => {
    const { logger, lines } = capture();
    pinoLogCreator(logger)(logLevel.WARN)(entry(logLevel.WARN, 'Limiting retries for the idempotent producer may invalidate EoS guarantees'));
    expect(lines).toEqual([]);
  });
});
