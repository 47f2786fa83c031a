import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, SignJWT } from 'jose';
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

describe('token lifetime (shared secret)', () => {
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT({ role: 'city-center', ...claims }).setProtectedHeader({ alg: 'HS256' }).setSubject('cc').sign(new TextEncoder().encode(SECRET));
  const now = () => Math.floor(Date.now() / 1000);
  beforeAll(async () => {
    app = await createApp({ secret: SECRET });
  });
  afterAll(() => app.close());

  it('refuses a token without exp', async () => {
    const res = await http()
      .get('/city/overview')
      .set('authorization', `Bearer ${await sign({ iat: now() })}`)
      .expect(401);
    expect(res.body).toMatchObject({ reason: 'invalid_claims', message: "The token's claims are not valid: exp is required (every token must expire)" });
  });

  it('refuses exp in 2200 (longer than 12 hours)', async () => {
    const res = await http()
      .get('/city/overview')
      .set('authorization', `Bearer ${await sign({ iat: now(), exp: 7_258_118_400 })}`)
      .expect(401);
    expect(res.body.message).toMatch(/the token lives \d+ s; at most 43200 s is allowed$/);
  });

  it('refuses iat in 2100', async () => {
    const res = await http()
      .get('/city/overview')
      .set('authorization', `Bearer ${await sign({ iat: 4_102_444_800, exp: 4_102_444_900 })}`)
      .expect(401);
    expect(res.body.message).toMatch(/iat lies \d+ s in the future; at most 60 s of clock skew is allowed$/);
  });

  it('accepts a token of 12 hours, and iat a few seconds ahead', async () => {
    await http()
      .get('/city/overview')
      .set('authorization', `Bearer ${await sign({ iat: now() + 5, exp: now() + 12 * 3600 })}`)
      .expect(200);
  });
});

describe('trusted issuers: per-department keys, JWKS with rotation, key files', () => {
  const AUDIENCE = 'city-services';
  const CITY = 'https://id.city.example';
  const CANVASS = 'https://id.city.example/canvass';
  const HEALTH = 'https://id.city.example/traveller-health';
  const cityKey = generateKeyPairSync('ed25519');
  const canvassKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const healthKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyDir = mkdtempSync(join(tmpdir(), 'auth-keys-'));
  const canvassKeyFile = join(keyDir, 'canvass.pem');
  writeFileSync(canvassKeyFile, canvassKey.publicKey.export({ type: 'spki', format: 'pem' }));

  // The traveller-health department publishes its keys as a JWKS; the test rotates them.
  let served: { keys: object[] } = { keys: [] };
  let fetches = 0;
  const jwksServer = createServer((_, res) => {
    fetches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
  });
  const jwk = async (key: KeyObject, kid: string) => ({ ...(await exportJWK(key)), kid, alg: 'RS256', use: 'sig' });

  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());

  async function sign(
    claims: Record<string, unknown>,
    key: KeyObject,
    options: { alg: string; issuer: string; kid?: string; audience?: string; expiresIn?: string },
  ): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: options.alg, ...(options.kid && { kid: options.kid }) })
      .setSubject(String(claims.sub ?? 'someone'))
      .setIssuer(options.issuer)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '1h')
      .sign(key);
  }
  const canvassDepartment = { sub: 'cd', role: 'department', department: 'canvass' };
  const healthDepartment = { sub: 'hd', role: 'department', department: 'traveller-health' };

  beforeAll(async () => {
    served = { keys: [await jwk(healthKey.publicKey, 'health-1')] };
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const { port } = jwksServer.address() as AddressInfo;
    app = await createApp({
      audience: AUDIENCE,
      jwksCooldownMs: 0,
      issuers: [
        { issuer: CITY, publicKey: cityKey.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
        { issuer: CANVASS, department: 'canvass', keyFile: canvassKeyFile },
        { issuer: HEALTH, department: 'traveller-health', jwksUrl: `http://127.0.0.1:${port}/jwks.json` },
      ],
    });
  });
  afterAll(async () => {
    await app.close();
    await new Promise((resolve) => jwksServer.close(resolve));
    rmSync(keyDir, { recursive: true, force: true });
  });

  it('accepts each issuer’s tokens: EdDSA (city), ES256 from a key file (canvass), RS256 from a JWKS (traveller health)', async () => {
    const city = await sign({ role: 'city-center' }, cityKey.privateKey, { alg: 'EdDSA', issuer: CITY });
    await http().get('/city/overview').set('authorization', `Bearer ${city}`).expect(200);
    const canvass = await sign(canvassDepartment, canvassKey.privateKey, { alg: 'ES256', issuer: CANVASS });
    await http().post('/canvass/units').set('authorization', `Bearer ${canvass}`).expect(201);
    const health = await sign(healthDepartment, healthKey.privateKey, { alg: 'RS256', issuer: HEALTH, kid: 'health-1' });
    await http().get('/districts/310105/summary').set('authorization', `Bearer ${health}`).expect(200);
  });

  it('refuses a canvass token signed by another department’s key (401)', async () => {
    // Signed by traveller health with its own issuer: its key signs only its own department.
    const asHealth = await sign(canvassDepartment, healthKey.privateKey, { alg: 'RS256', issuer: HEALTH, kid: 'health-1' });
    const own = await http().post('/canvass/units').set('authorization', `Bearer ${asHealth}`).expect(401);
    expect(own.body).toMatchObject({
      reason: 'invalid_claims',
      message: `The token's claims are not valid: issuer ${HEALTH} signs only tokens of department traveller-health`,
    });
    // Signed by traveller health's key but naming the canvass issuer: the signature does not match canvass's key.
    const forged = await sign(canvassDepartment, healthKey.privateKey, { alg: 'RS256', issuer: CANVASS });
    const res = await http().post('/canvass/units').set('authorization', `Bearer ${forged}`).expect(401);
    expect(res.body.reason).toBe('invalid_token');
    // A department key does not make city-center tokens, and the city's key no department tokens.
    const cityByCanvass = await sign({ sub: 'x', role: 'city-center' }, canvassKey.privateKey, { alg: 'ES256', issuer: CANVASS });
    await http().get('/city/overview').set('authorization', `Bearer ${cityByCanvass}`).expect(401);
    const canvassByCity = await sign(canvassDepartment, cityKey.privateKey, { alg: 'EdDSA', issuer: CITY });
    await http().post('/canvass/units').set('authorization', `Bearer ${canvassByCity}`).expect(401);
  });

  it('refuses an unknown issuer, the wrong audience, a token without exp and a shared-secret token', async () => {
    const stranger = await sign({ role: 'city-center' }, cityKey.privateKey, { alg: 'EdDSA', issuer: 'https://elsewhere' });
    const unknown = await http().get('/city/overview').set('authorization', `Bearer ${stranger}`).expect(401);
    expect(unknown.body.message).toBe('The token is not valid: issuer https://elsewhere is not trusted');
    const elsewhere = await sign({ role: 'city-center' }, cityKey.privateKey, { alg: 'EdDSA', issuer: CITY, audience: 'other-city' });
    await http().get('/city/overview').set('authorization', `Bearer ${elsewhere}`).expect(401);
    const forever = await new SignJWT({ role: 'city-center' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject('cc')
      .setIssuer(CITY)
      .setAudience(AUDIENCE)
      .sign(cityKey.privateKey);
    const noExp = await http().get('/city/overview').set('authorization', `Bearer ${forever}`).expect(401);
    expect(noExp.body).toMatchObject({ reason: 'invalid_claims', message: "The token's claims are not valid: exp is required (every token must expire)" });
    const tooLong = await sign({ role: 'city-center' }, cityKey.privateKey, { alg: 'EdDSA', issuer: CITY, expiresIn: '13h' });
    await http().get('/city/overview').set('authorization', `Bearer ${tooLong}`).expect(401);
    const hs = issueToken({ sub: 'cc', role: 'city-center' }, SECRET, { issuer: CITY, audience: AUDIENCE });
    await http().get('/city/overview').set('authorization', `Bearer ${hs}`).expect(401);
  });

  it('picks up a rotated JWKS key without a restart, and drops the retired one', async () => {
    const before = fetches;
    const rotatedKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
    served = { keys: [await jwk(rotatedKey.publicKey, 'health-2')] };
    const rotated = await sign(healthDepartment, rotatedKey.privateKey, { alg: 'RS256', issuer: HEALTH, kid: 'health-2' });
    await http().get('/districts/310105/summary').set('authorization', `Bearer ${rotated}`).expect(200);
    expect(fetches).toBeGreaterThan(before);
    // A token not verified before: one verified within JWT_VERIFIED_TOKEN_SECONDS would still be reused.
    const retired = await sign({ ...healthDepartment, jti: 'never-seen' }, healthKey.privateKey, { alg: 'RS256', issuer: HEALTH, kid: 'health-1' });
    const res = await http().get('/districts/310105/summary').set('authorization', `Bearer ${retired}`).expect(401);
    expect(res.body.message).toBe(`The token is not valid: no key of issuer ${HEALTH} matches it`);
  });
});

describe('AuthModule configuration', () => {
  it('fails at start-up without a secret or key', async () => {
    const saved = process.env.JWT_SECRET;
    delete process.env.JWT_SECRET;
    try {
      await expect(createApp({})).rejects.toThrow('Invalid configuration: JWT_SECRET is required');
      await expect(createApp({ secret: 'short' })).rejects.toThrow('JWT_SECRET must be at least 32 characters');
      await expect(createApp({ issuers: [{ issuer: 'city', keyFile: '/k' }] })).rejects.toThrow('JWT_AUDIENCE (the audience tokens must name) is required');
      await expect(createApp({ issuers: [{ issuer: 'city', keyFile: '/nowhere/key.pem' }], audience: 'a' })).rejects.toThrow('/nowhere/key.pem');
    } finally {
      if (saved !== undefined) process.env.JWT_SECRET = saved;
    }
  });
});
