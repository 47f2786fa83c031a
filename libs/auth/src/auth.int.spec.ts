import { generateKeyPairSync } from 'node:crypto';
import { Controller, Get, Module, Param, Post } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { CityMetrics, configureApp, HttpMetrics, ObservabilityModule, Public } from '@city/observability';
import type { Actor } from './actor';
import { AuthModule } from './auth.module';
import type { AuthModuleOptions } from './auth-options';
import { CurrentActor } from './decorators/current-actor.decorator';
import { RequireDepartment } from './decorators/require-department.decorator';
import { Roles } from './decorators/roles.decorator';
import { assertCanReadDistrict } from './access/organisation';
import { devTokens } from './tokens/dev-tokens';
import { issueToken } from './tokens/issue-token';

const SECRET = 'test-secret-that-is-long-enough-for-hs256!';

@Controller()
class TestController {
  @Public()
  @Get('open')
  open(@CurrentActor() actor: Actor) {
    return { sub: actor.sub };
  }

  @Public()
  @Get('anonymous')
  anonymous() {
    return { hello: 'world' };
  }

  @Get('districts/:code/summary')
  summary(@Param('code') code: string, @CurrentActor() actor: Actor) {
    assertCanReadDistrict(actor, code);
    return { district: code, readBy: actor.sub };
  }

  @Roles('city-center')
  @Get('city/overview')
  overview() {
    return { districts: 16 };
  }

  @RequireDepartment('canvass')
  @Post('canvass/units')
  registerUnit(@CurrentActor() actor: Actor) {
    return { by: actor.sub };
  }
}

async function createApp(auth: AuthModuleOptions): Promise<NestExpressApplication> {
  @Module({
    imports: [ObservabilityModule.forRoot({ serviceName: 'auth-test', logLevel: 'silent' }), AuthModule.forRoot(auth)],
    controllers: [TestController],
  })
  class AuthTestModule {}
  const moduleRef = await Test.createTestingModule({ imports: [AuthTestModule] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
  // The request metrics, as the service kit installs them (it depends on this library, so it is not used here).
  app.use(app.get(HttpMetrics, { strict: false }).middleware);
  configureApp(app, { serviceName: 'auth-test' });
  return app.init();
}

describe('JwtAuthGuard over HTTP (HS256)', () => {
  let app: NestExpressApplication;
  const tokens = devTokens(SECRET);
  const http = () => request(app.getHttpServer());
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    app = await createApp({ secret: SECRET });
  });
  afterAll(() => app.close());

  describe('401', () => {
    it('without a token', async () => {
      const res = await http().get('/districts/310105/summary').expect(401);
      expect(res.body).toEqual({
        statusCode: 401,
        error: 'unauthorized',
        reason: 'missing_token',
        message: 'A bearer token is required (Authorization: Bearer <token>)',
      });
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });

    it('with a token signed by another secret', async () => {
      const forged = issueToken({ sub: 'x', role: 'city-center' }, 'another-secret-that-is-long-enough!!');
      const res = await http().get('/districts/310105/summary').set(bearer(forged)).expect(401);
      expect(res.body).toMatchObject({ reason: 'invalid_token', message: 'The token is not valid: invalid signature' });
    });

    it('with an expired token', async () => {
      const expired = issueToken({ sub: 'x', role: 'city-center' }, SECRET, { expiresIn: -10 });
      const res = await http().get('/districts/310105/summary').set(bearer(expired)).expect(401);
      expect(res.body).toMatchObject({ reason: 'expired_token' });
    });

    it('with garbage or an unsigned token', async () => {
      await http().get('/city/overview').set(bearer('not.a.jwt')).expect(401);
      const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"x","role":"city-center"}').toString(
        'base64url',
      )}.`;
      const res = await http().get('/city/overview').set(bearer(unsigned)).expect(401);
      expect(res.body.reason).toBe('invalid_token');
    });

    it('with well-signed claims of the wrong shape', async () => {
      const bad = issueToken({ sub: 'x', role: 'district-staff' } as Actor, SECRET);
      const res = await http().get('/city/overview').set(bearer(bad)).expect(401);
      expect(res.body).toMatchObject({ reason: 'invalid_claims', message: "The token's claims are not valid: role district-staff requires a district" });
    });
  });

  describe('403', () => {
    it('for the wrong role', async () => {
      const res = await http().get('/city/overview').set(bearer(tokens.changningStaff)).expect(403);
      expect(res.body).toMatchObject({ error: 'forbidden', reason: 'wrong_role' });
    });

    it('for another district', async () => {
      const res = await http().get('/districts/310107/summary').set(bearer(tokens.changningStaff)).expect(403);
      expect(res.body).toEqual({
        statusCode: 403,
        error: 'forbidden',
        reason: 'other_district',
        message: 'Token for district 310105 may not read district 310107',
      });
    });

    it('for another department’s commands', async () => {
      const health = issueToken({ sub: 'th', role: 'department', department: 'traveller-health' }, SECRET);
      const res = await http().post('/canvass/units').set(bearer(health)).expect(403);
      expect(res.body).toMatchObject({ reason: 'wrong_department' });
    });
  });

  describe('allowed', () => {
    it('district staff read their own district', async () => {
      const res = await http().get('/districts/310105/summary').set(bearer(tokens.changningStaff)).expect(200);
      expect(res.body).toEqual({ district: '310105', readBy: 'dev-changning-staff' });
    });

    it('the city center reads every district and the overview', async () => {
      await http().get('/districts/310107/summary').set(bearer(tokens.cityCenter)).expect(200);
      await http().get('/city/overview').set(bearer(tokens.cityCenter)).expect(200);
    });

    it('the canvass department and a canvass field official issue canvass commands', async () => {
      await http().post('/canvass/units').set(bearer(tokens.canvassDepartment)).expect(201);
      await http().post('/canvass/units').set(bearer(tokens.fieldOfficial)).expect(201);
    });
  });

  describe('@Public()', () => {
    it('needs no token, and ignores a bad one', async () => {
      await http().get('/anonymous').expect(200, { hello: 'world' });
      await http().get('/anonymous').set(bearer('garbage')).expect(200);
      await http().get('/health/live').expect(200);
      await http().get('/metrics').expect(200);
      await http().get('/docs-json').expect(200);
    });

    it('still learns the actor from a valid token; @CurrentActor() without one is 401', async () => {
      await http().get('/open').set(bearer(tokens.cityCenter)).expect(200, { sub: 'dev-city-center' });
      await http().get('/open').expect(401);
    });
  });

  it('counts refusals by reason, with the route template of the refused request', async () => {
    const text = await app.get(CityMetrics).metricsText();
    expect(text).toMatch(/city_auth_refusals_total\{reason="missing_token",service="auth-test"\} [1-9]/);
    expect(text).toMatch(/city_auth_refusals_total\{reason="other_district",service="auth-test"\} 1\b/);
    expect(text).toMatch(/city_auth_refusals_total\{reason="wrong_department",service="auth-test"\} 1\b/);
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/districts\/:code\/summary",status_code="401"[^}]*\} [1-9]/);
  });
});

describe('JwtAuthGuard with RS256, issuer and audience', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await createApp({ publicKey, issuer: 'city-idp', audience: 'city-services' });
  });
  afterAll(() => app.close());

  it('accepts a token signed with the private key for the right issuer and audience', async () => {
    const token = issueToken({ sub: 'cc', role: 'city-center' }, privateKey, {
      algorithm: 'RS256',
      issuer: 'city-idp',
      audience: 'city-services',
    });
    await request(app.getHttpServer()).get('/city/overview').set('authorization', `Bearer ${token}`).expect(200);
  });

  it('refuses the wrong audience and an HS256 token', async () => {
    const wrongAudience = issueToken({ sub: 'cc', role: 'city-center' }, privateKey, { algorithm: 'RS256', issuer: 'city-idp', audience: 'x' });
    await request(app.getHttpServer()).get('/city/overview').set('authorization', `Bearer ${wrongAudience}`).expect(401);
    const hs = issueToken({ sub: 'cc', role: 'city-center' }, SECRET, { issuer: 'city-idp', audience: 'city-services' });
    await request(app.getHttpServer()).get('/city/overview').set('authorization', `Bearer ${hs}`).expect(401);
  });
});

describe('AuthModule configuration', () => {
  it('fails at start-up without a secret or key', async () => {
    const saved = process.env.JWT_SECRET;
    delete process.env.JWT_SECRET;
    try {
      await expect(createApp({})).rejects.toThrow('Invalid configuration: JWT_SECRET is required');
      await expect(createApp({ secret: 'short' })).rejects.toThrow('JWT_SECRET must be at least 32 characters');
    } finally {
      if (saved !== undefined) process.env.JWT_SECRET = saved;
    }
  });
});
