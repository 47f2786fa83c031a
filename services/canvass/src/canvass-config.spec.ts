import { ConfigurationError, loadConfig } from '@city/observability';
import { CanvassConfig } from './canvass-config';

const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/canvass', JWT_SECRET: 'x'.repeat(32) };

describe('canvass configuration', () => {
  it('defaults to the PostgreSQL event store', () => {
    expect(loadConfig(CanvassConfig, base).EVENT_STORE).toBe('postgres');
  });

  it('takes EventStoreDB with its connection string', () => {
    const config = loadConfig(CanvassConfig, { ...base, EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://kurrentdb:2113?tls=false' });
    expect(config.EVENTSTORE_CONNECTION_STRING).toBe('esdb://kurrentdb:2113?tls=false');
  });

  it('refuses EventStoreDB without a connection string, saying which variable', () => {
    expect(() => loadConfig(CanvassConfig, { ...base, EVENT_STORE: 'eventstoredb' })).toThrow(ConfigurationError);
    expect(() => loadConfig(CanvassConfig, { ...base, EVENT_STORE: 'eventstoredb' })).toThrow(/EVENTSTORE_CONNECTION_STRING/);
  });

  it('refuses an unknown store and a short secret', () => {
    expect(() => loadConfig(CanvassConfig, { ...base, EVENT_STORE: 'mongodb' })).toThrow(/EVENT_STORE/);
    expect(() => loadConfig(CanvassConfig, { ...base, JWT_SECRET: 'short' })).toThrow(/JWT_SECRET must be at least 32 characters/);
  });
});
