import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { devTokens, issueToken, type DevTokens } from '@city/auth';
import { configureApp } from '@city/observability';
import type { SqlDatabase } from '@city/sql';
import { OperationsCenterModule, type OperationsCenterOptions } from '../operations-center.module';

export const TEST_JWT_SECRET = 'operations-center-test-secret-0123456789';

export interface OpsTestApp {
  readonly app: NestExpressApplication;
  /** Base URL of the listening app, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly tokens: DevTokens & { readonly putuoStaff: string };
  close(): Promise<void>;
}

/** The operations center on an ephemeral port, wired as in production (configureApp), logging off. */
export async function startOpsTestApp(readDb: SqlDatabase, options: Partial<OperationsCenterOptions> = {}): Promise<OpsTestApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [OperationsCenterModule.register({ readDb, auth: { secret: TEST_JWT_SECRET }, logLevel: 'silent', ...options })],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bufferLogs: true });
  configureApp(app, { serviceName: 'operations-center', swagger: true });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const tokens = {
    ...devTokens(TEST_JWT_SECRET),
    putuoStaff: issueToken({ sub: 'putuo-staff', role: 'district-staff', district: '310107' }, TEST_JWT_SECRET),
  };
  return { app, url, tokens, close: () => app.close() };
}
