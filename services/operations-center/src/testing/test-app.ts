import type { INestApplication } from '@nestjs/common';
import { devTokens, issueToken, type DevTokens } from '@city/auth';
import { createHttpApp, type HttpAdapterName } from '@city/service-kit';
import type { SqlDatabase } from '@city/sql';
import { OperationsCenterModule, type OperationsCenterOptions } from '../operations-center.module';

export const TEST_JWT_SECRET = 'operations-center-test-secret-0123456789';

export interface OpsTestApp {
  readonly app: INestApplication;
  /** Base URL of the listening app, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly tokens: DevTokens & { readonly putuoStaff: string };
  close(): Promise<void>;
}

/** The operations center on an ephemeral port, wired as in production (the kit's HTTP app, on either adapter), logging off. */
export async function startOpsTestApp(
  readDb: SqlDatabase,
  options: Partial<OperationsCenterOptions> & { readonly httpAdapter?: HttpAdapterName } = {},
): Promise<OpsTestApp> {
  const { httpAdapter, ...module } = options;
  const app = await createHttpApp(OperationsCenterModule.register({ readDb, auth: { secret: TEST_JWT_SECRET }, logLevel: 'silent', ...module }), {
    serviceName: 'operations-center',
    swagger: true,
    ...(httpAdapter === undefined ? {} : { httpAdapter }),
  });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const tokens = {
    ...devTokens(TEST_JWT_SECRET),
    putuoStaff: issueToken({ sub: 'putuo-staff', role: 'district-staff', district: '310107' }, TEST_JWT_SECRET),
  };
  return { app, url, tokens, close: () => app.close() };
}
