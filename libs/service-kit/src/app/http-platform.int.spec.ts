import { spawnSync } from 'node:child_process';
import request from 'supertest';
import { CityMetrics } from '@city/observability';
import { eventually, sampleValue } from '@city/testing';
import { HTTP_ADAPTERS } from './http-platform';
import { createHttpTestApp, type TestApp } from './testing/http-test-app';

/**
 * HTTP behaviour every service inherits from ObservabilityModule and the kit's
 * `createHttpApp`, proven over a real (loopback) HTTP server with supertest, on
 * each HTTP adapter: the same statuses, bodies, headers and metrics on both.
 */

const promtool = spawnSync('promtool', ['--version']).status === 0;
const withPromtool = promtool ? it : it.skip;

describe.each(HTTP_ADAPTERS)('observability over HTTP on %s', (httpAdapter) => {
  let t: TestApp;
  let storeUp = true;

  beforeAll(async () => {
    t = await createHttpTestApp({
      httpAdapter,
      readiness: [
        { name: 'event-store', check: () => storeUp },
        { name: 'kafka', check: async () => undefined },
      ],
      bodyLimit: '1kb',
      swagger: true,
    });
  });
  afterAll(() => t.app.close());

  const http = () => request(t.app.getHttpServer());

  describe('metrics', () => {
    it('labels HTTP durations with the route template, never the raw URL', async () => {
      await http().get('/units/u-123').expect(200);
      await http().get('/units/u-456').expect(200);
      await http().get('/no/such/route/42').expect(404);
      const text = (await http().get('/metrics').expect(200)).text;
      const count = (labels: Record<string, string>) => sampleValue(text, 'http_request_duration_seconds_count', { service: 'test-service', ...labels });
      expect(count({ method: 'GET', route: '/units/:unitId', status_code: '200' })).toBe(2);
      expect(count({ method: 'GET', route: 'unmatched', status_code: '404' })).toBe(1);
      expect(text).not.toContain('u-123');
      expect(text).not.toContain('/no/such/route');
    });

    it('serves Node default metrics and the city_ metrics with the service label', async () => {
      const res = await http().get('/metrics').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(sampleValue(res.text, 'process_cpu_seconds_total', { service: 'test-service' })).toBeGreaterThan(0);
      expect(res.text).toContain('nodejs_eventloop_lag_seconds');
      expect(res.text).toContain('# TYPE city_commands_total counter');
      expect(res.text).toContain('# TYPE city_command_duration_seconds histogram');
    });

    it('times commands with their outcome', async () => {
      await http().post('/units').send({ name: 'Block 7', households: 12 }).expect(201);
      await http().post('/units').send({ name: 'duplicate', households: 1 }).expect(409);
      const text = (await http().get('/metrics')).text;
      const service = 'test-service';
      expect(sampleValue(text, 'city_commands_total', { service, command: 'RegisterUnit', outcome: 'accepted' })).toBe(1);
      expect(sampleValue(text, 'city_commands_total', { service, command: 'RegisterUnit', outcome: 'rejected_rule' })).toBe(1);
      expect(sampleValue(text, 'city_command_duration_seconds_count', { service, command: 'RegisterUnit' })).toBe(2);
    });

    withPromtool('passes `promtool check metrics`', async () => {
      const metrics = t.app.get(CityMetrics);
      metrics.recordEventsAppended(['UnitRegistered']);
      metrics.relayLagEvents.set(3);
      metrics.relayPublishedTotal.inc({ topic: 'city.canvass' });
      metrics.projectionLagSeconds.set({ projection: 'coverage' }, 0.5);
      metrics.projectionEventsTotal.inc({ projection: 'coverage', type: 'UnitRegistered' });
      metrics.projectionCheckpointPosition.set({ projection: 'coverage' }, 42);
      metrics.dlqMessagesTotal.inc({ consumer: 'coverage', topic: 'city.canvass' });
      metrics.recordAuthRefusal('missing_token');
      const text = (await http().get('/metrics').expect(200)).text;
      const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect({ status: result.status, output: `${result.stdout}${result.stderr}`.trim() }).toEqual({ status: 0, output: '' });
    });

    if (!promtool) {
      it.skip('promtool check metrics: SKIPPED because promtool is not installed (apt-get install -y prometheus)', () => undefined);
    }
  });

  describe('health', () => {
    it('is live', async () => {
      const res = await http().get('/health/live').expect(200);
      expect(res.body.status).toBe('ok');
    });

    it('is ready when every readiness check passes', async () => {
      storeUp = true;
      const res = await http().get('/health/ready').expect(200);
      expect(res.body.info).toEqual({ 'event-store': { status: 'up' }, kafka: { status: 'up' } });
    });

    it('answers 503 naming the failed check', async () => {
      storeUp = false;
      const res = await http().get('/health/ready').expect(503);
      storeUp = true;
      expect(res.body.status).toBe('error');
      expect(res.body.error).toEqual({ 'event-store': { status: 'down', message: 'check returned false' } });
      expect(res.body.info).toEqual({ kafka: { status: 'up' } });
    });
  });

  describe('correlation id', () => {
    it('echoes the caller’s x-correlation-id and makes it current in the handler', async () => {
      const res = await http().get('/correlation').set('x-correlation-id', 'req-abc-123').expect(200);
      expect(res.headers['x-correlation-id']).toBe('req-abc-123');
      expect(res.body.correlationId).toBe('req-abc-123');
    });

    it('survives body parsing', async () => {
      const res = await http().post('/correlation').set('x-correlation-id', 'post-1').send({ a: 1 }).expect(201);
      expect(res.body).toEqual({ correlationId: 'post-1', received: true });
    });

    it('generates one when missing or unsafe', async () => {
      const res = await http().get('/correlation').set('x-correlation-id', 'bad id with spaces').expect(200);
      expect(res.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.correlationId).toBe(res.headers['x-correlation-id']);
    });

    it('is returned even when the body is refused before routing', async () => {
      const res = await http().post('/units').set('content-type', 'application/json').send('{"name":').expect(400);
      expect(res.headers['x-correlation-id']).toBeDefined();
    });
  });

  describe('logs', () => {
    it('writes JSON lines with service and correlation id, without bodies or credentials', async () => {
      await http()
        .post('/correlation')
        .set('x-correlation-id', 'log-check-1')
        .set('authorization', 'Bearer secret-token-value')
        .send({ phone: '13800138000', name: 'Zhang San' })
        .expect(201);
      // The log line is written when the response ends: wait for it rather than for a fixed time.
      const line = await eventually(async () => t.logs().find((l) => l.correlationId === 'log-check-1'));
      expect(line).toMatchObject({ service: 'test-service', level: 30, req: { method: 'POST', url: '/correlation' } });
      const all = JSON.stringify(t.logs());
      expect(all).not.toContain('13800138000');
      expect(all).not.toContain('Zhang San');
      expect(all).not.toContain('secret-token-value');
    });

    it("writes each request's line as pino-http did, at the level of its status; none for health and metrics", async () => {
      await http().post('/correlation').set('x-correlation-id', 'line-ok-1').send({}).expect(201);
      await http().get('/errors/forbidden').set('x-correlation-id', 'line-refused-1').expect(403);
      await http().get('/errors/crash').set('x-correlation-id', 'line-crash-1').expect(500);
      await http().get('/health/live').set('x-correlation-id', 'line-quiet-1').expect(200);
      const lineOf = (id: string) => eventually(async () => t.logs().find((l) => l.correlationId === id && l.req));
      const ok = await lineOf('line-ok-1');
      // The same keys in the same order as pino-http's line.
      expect(Object.keys(ok)).toEqual(['level', 'time', 'service', 'correlationId', 'req', 'res', 'responseTime', 'msg']);
      expect(ok).toMatchObject({
        level: 30,
        req: { id: 'line-ok-1', method: 'POST', url: '/correlation' },
        res: { statusCode: 201 },
        msg: 'request completed',
      });
      expect(typeof ok.responseTime).toBe('number');
      expect(await lineOf('line-refused-1')).toMatchObject({ level: 40, res: { statusCode: 403 }, msg: 'request completed' });
      const crash = await lineOf('line-crash-1');
      expect(crash).toMatchObject({ level: 50, res: { statusCode: 500 }, err: { message: 'failed with status code 500' }, msg: 'request errored' });
      expect(t.logs().filter((l) => l.correlationId === 'line-ok-1' && l.req)).toHaveLength(1);
      expect(t.logs().some((l) => l.correlationId === 'line-quiet-1')).toBe(false);
    });
  });

  describe('error logs', () => {
    it('logs a refusal as a warning with its reason, and a crash as an error with its stack', async () => {
      await http().get('/errors/forbidden').set('x-correlation-id', 'refused-1').expect(403);
      await http().get('/errors/crash').set('x-correlation-id', 'crash-1').expect(500);
      const refusal = await eventually(async () => t.logs().find((l) => l.correlationId === 'refused-1' && l.refusal));
      expect(refusal).toMatchObject({ level: 40, refusal: { status: 403, reason: 'forbidden', route: '/errors/:kind' } });
      const crash = await eventually(async () => t.logs().find((l) => l.correlationId === 'crash-1' && l.err));
      expect(crash).toMatchObject({ level: 50, err: { message: 'database password is hunter2' } });
      expect(JSON.stringify(crash)).toContain('at ErrorsController.fail');
    });
  });

  describe('errors', () => {
    it.each([
      ['validation', 400, { error: 'invalid', message: 'Bad command', fields: { name: ['name is required'] } }],
      ['unknown-type', 400, { error: 'unknown_event_type', message: 'Unknown event type UnitExploded v2' }],
      ['forbidden', 403, { error: 'forbidden', message: 'Not your district' }],
      ['not-found', 404, { error: 'not_found', message: 'No unit u-1' }],
      ['conflict', 409, { error: 'version_conflict' }],
      ['rule', 409, { error: 'rule_violation', rule: 'visit-after-assignment', message: 'Unit has no official yet' }],
      ['http', 418, { statusCode: 418, message: 'teapot' }],
      ['crash', 500, { statusCode: 500, error: 'internal_error', message: 'Internal server error' }],
    ])('maps %s to %i', async (kind, status, body) => {
      const res = await http().get(`/errors/${kind}`).expect(status);
      expect(res.body).toMatchObject(body);
      expect(res.text).not.toContain('hunter2');
    });

    it('rejects malformed JSON with 400, not 500', async () => {
      const res = await http().post('/units').set('content-type', 'application/json').send('{"name": "x",').expect(400);
      expect(res.body).toEqual({ statusCode: 400, error: 'malformed_json', message: expect.stringMatching(/JSON/) });
    });

    it('rejects a body over the limit with 413', async () => {
      const big = { name: 'x'.repeat(2048), households: 1 };
      const res = await http().post('/units').send(big).expect(413);
      expect(res.body).toEqual({ statusCode: 413, error: 'payload_too_large', message: 'request entity too large' });
    });

    it('rejects a body sent in chunks that grows over the limit with 413', async () => {
      const chunked = http().post('/units').set('content-type', 'application/json');
      chunked.write(`{"name":"${'x'.repeat(700)}`);
      chunked.write(`${'x'.repeat(700)}","households":1}`);
      const res = await chunked.expect(413);
      expect(res.body).toEqual({ statusCode: 413, error: 'payload_too_large', message: 'request entity too large' });
    });

    it('answers an unknown route with 404 and the route it names', async () => {
      const res = await http().get('/no/such/route').expect(404);
      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /no/such/route' });
    });

    it('asks for a JSON body in UTF-8 (415 otherwise)', async () => {
      const res = await http().post('/units').set('content-type', 'application/json; charset=latin1').send('{"name":"x"}').expect(415);
      expect(res.body).toEqual({ statusCode: 415, error: 'unsupported_charset', message: 'unsupported charset "LATIN1"' });
    });
  });

  describe('validation pipe', () => {
    it('answers 400 with field-level messages, nested paths included', async () => {
      const res = await http()
        .post('/units')
        .send({ name: 'A', households: -1, address: { street: 'Jiangsu Rd', postcode: 42 } })
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'invalid' });
      expect(res.body.fields).toEqual({
        name: ['name must be longer than or equal to 2 characters'],
        households: ['households must not be less than 0'],
        'address.postcode': ['postcode must be longer than or equal to 6 characters', 'postcode must be a string'],
      });
    });

    it('answers 400 when the body is missing or not a JSON object', async () => {
      const none = await http().post('/units').set('content-type', 'text/plain').send('name=x').expect(400);
      expect(none.body).toMatchObject({ error: 'invalid' });
      const array = await http().post('/units').send([1, 2]).expect(400);
      expect(array.body).toMatchObject({ error: 'invalid' });
      const scalar = await http().post('/units').set('content-type', 'application/json').send('"text"').expect(400);
      expect(scalar.body).toEqual({ statusCode: 400, error: 'malformed_json', message: `Unexpected token '"', ""text"" is not valid JSON` });
    });

    it('rejects unknown fields', async () => {
      const res = await http().post('/units').send({ name: 'Block 7', households: 3, isAdmin: true }).expect(400);
      expect(res.body.fields).toEqual({ isAdmin: ['property isAdmin should not exist'] });
    });

    it('hands the handler a DTO instance', async () => {
      const res = await http().post('/units').send({ name: 'Block 9', households: 0 }).expect(201);
      expect(res.body).toEqual({ registered: 'Block 9', isDto: true });
    });
  });

  describe('OpenAPI', () => {
    it('serves the document at /docs-json and the UI at /docs', async () => {
      const doc = (await http().get('/docs-json').expect(200)).body;
      expect(doc.info.title).toBe('test-service');
      expect(Object.keys(doc.paths)).toContain('/units/{unitId}');
      expect(Object.keys(doc.paths)).not.toContain('/metrics');
      await http().get('/docs').expect(200);
    });
  });
});
