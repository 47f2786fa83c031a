import { loggableUrl } from './logger-params';

describe('loggableUrl', () => {
  it('hides tokens carried in the query string', () => {
    expect(loggableUrl('/api/stream?access_token=eyJhbGci.x.y&district=310105')).toBe('/api/stream?access_token=[redacted]&district=310105');
    expect(loggableUrl('/api/stream?district=310105&token=abc')).toBe('/api/stream?district=310105&token=[redacted]');
  });

  it('leaves other URLs alone', () => {
    expect(loggableUrl('/units/310105001-001/visits')).toBe('/units/310105001-001/visits');
    expect(loggableUrl(undefined)).toBeUndefined();
  });
});
