import { ReadinessChecks } from './readiness-checks';

describe('ReadinessChecks', () => {
  it('reports each failing check with its reason, including time-outs', async () => {
    const checks = new ReadinessChecks({
      serviceName: 's',
      readiness: [
        { name: 'ok', check: () => true },
        { name: 'false', check: () => false },
        { name: 'throws', check: () => Promise.reject(new Error('connection refused')) },
        { name: 'hangs', check: () => new Promise(() => undefined), timeoutMs: 20 },
      ],
    });
    expect(await checks.runAll()).toEqual([
      { name: 'ok', ok: true },
      { name: 'false', ok: false, reason: 'check returned false' },
      { name: 'throws', ok: false, reason: 'connection refused' },
      { name: 'hangs', ok: false, reason: 'timed out after 20 ms' },
    ]);
  });

  it('refuses two checks with one name', () => {
    const checks = new ReadinessChecks({ serviceName: 's' });
    checks.add({ name: 'kafka', check: () => true });
    expect(() => checks.add({ name: 'kafka', check: () => true })).toThrow('already registered');
  });
});
