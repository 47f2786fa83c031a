import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { ConfigurationError, loadConfig } from './load-config';

class ServiceConfig {
  @IsInt() @Min(1) @Max(65535) PORT = 3000;
  @IsString() DATABASE_URL!: string;
  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL = 'info';
  @IsOptional() @IsBoolean() RELAY_ENABLED = true;
  @IsOptional() @IsUrl({ require_tld: false }) PUBLIC_URL?: string;
}

describe('loadConfig', () => {
  it('reads, converts and defaults the declared variables only', () => {
    const config = loadConfig(ServiceConfig, { PORT: '8080', DATABASE_URL: 'postgres://x/y', RELAY_ENABLED: 'false', OTHER: 'ignored' });
    expect(config).toBeInstanceOf(ServiceConfig);
    expect({ ...config }).toEqual({ PORT: 8080, DATABASE_URL: 'postgres://x/y', LOG_LEVEL: 'info', RELAY_ENABLED: false });
  });

  it('keeps defaults for unset and empty variables', () => {
    const config = loadConfig(ServiceConfig, { DATABASE_URL: 'postgres://x/y', PORT: '' });
    expect(config.PORT).toBe(3000);
    expect(config.RELAY_ENABLED).toBe(true);
  });

  it('lists every bad or missing variable in one clear message', () => {
    let error: unknown;
    try {
      loadConfig(ServiceConfig, { PORT: 'eighty', LOG_LEVEL: 'loud', RELAY_ENABLED: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).problems).toEqual([
      'PORT must not be greater than 65535',
      'PORT must not be less than 1',
      'PORT must be an integer number',
      'DATABASE_URL is required',
      'LOG_LEVEL must be one of the following values: fatal, error, warn, info, debug, trace, silent',
      'RELAY_ENABLED must be a boolean value',
    ]);
    expect((error as Error).message).toMatch(/^Invalid configuration: PORT .*; DATABASE_URL is required; LOG_LEVEL/);
  });

  it('rejects a non-integer number', () => {
    expect(() => loadConfig(ServiceConfig, { PORT: '80.5', DATABASE_URL: 'x' })).toThrow('Invalid configuration: PORT must be an integer number');
  });
});
