import { fireHostileBurst, hostileVariantsOf, refusalProblem, type HostileCase } from './hostile-burst';

describe('refusalProblem', () => {
  const invalid = { status: 400, body: { error: 'invalid', message: 'x', fields: { 'identity.documentNumber': ['wrong check character'] } } };

  it('passes a 4xx that names its reason, and the field or rule asked for', () => {
    expect(refusalProblem(invalid, { status: 400, field: 'identity' })).toBeUndefined();
    expect(refusalProblem(invalid, { field: 'identity.documentNumber' })).toBeUndefined();
    expect(
      refusalProblem({ status: 409, body: { error: 'rule_violation', rule: 'release-before-day-15' } }, { rule: 'release-before-day-15' }),
    ).toBeUndefined();
    expect(refusalProblem({ status: 413, body: { error: 'payload_too_large' } })).toBeUndefined();
  });

  it.each([
    ['a 201', { status: 201, body: { eventsAppended: 1 } }, {}, 'answered 201'],
    ['a 500', { status: 500, body: { error: 'internal_error' } }, {}, 'answered 500'],
    ['a 4xx without an error code', { status: 404, body: 'Not Found' }, {}, 'no error code'],
    ['a 400 naming no field', { status: 400, body: { error: 'invalid', fields: {} } }, {}, 'naming no field'],
    ['a 409 naming no rule', { status: 409, body: { error: 'rule_violation' } }, {}, 'naming no rule'],
    ['another status', invalid, { status: 409 }, 'expected 409'],
    ['another field', invalid, { field: 'phone' }, 'expected field phone'],
    ['another rule', { status: 409, body: { error: 'rule_violation', rule: 'a' } }, { rule: 'b' }, 'expected rule b'],
  ])('fails %s', (_what, answer, expected, problem) => {
    expect(refusalProblem(answer, expected)).toContain(problem);
  });
});

describe('hostileVariantsOf', () => {
  const valid = { id: 'r-1', declaration: { temperatureC: 36.6, symptoms: ['cough'], contact: false } };
  const variants = hostileVariantsOf(valid);

  it('tries every value, nested ones included, with each other JSON type', () => {
    const changes = variants.map((v) => v.change);
    expect(changes).toEqual(
      expect.arrayContaining([
        'id = 12345',
        'declaration = []',
        'declaration.temperatureC = "36.6"',
        'declaration.symptoms = {}',
        'declaration.symptoms.0 = true',
        'declaration.contact = "false"',
        'unknown field in declaration',
        '__proto__ beside the fields',
      ]),
    );
    const temperature = variants.find((v) => v.change === 'declaration.temperatureC = "36.6"');
    expect(JSON.parse(temperature!.text)).toEqual({ ...valid, declaration: { ...valid.declaration, temperatureC: '36.6' } });
    expect(temperature!.field).toBe('declaration');
  });

  it('never hands back the valid body itself', () => {
    expect(variants.map((v) => v.text)).not.toContain(JSON.stringify(valid));
  });
});

describe('fireHostileBurst', () => {
  it('names each case whose answer is not a proper refusal, including one that never answers', async () => {
    const cases: HostileCase[] = [
      { label: 'refused', send: async () => ({ status: 400, body: { error: 'invalid', fields: { id: ['bad'] } } }) },
      { label: 'accepted', send: async () => ({ status: 201, body: {} }) },
      { label: 'dropped', send: () => Promise.reject(new Error('socket hang up')) },
      {
        label: 'batch',
        send: async () => ({ status: 200, body: { results: [{ status: 400, error: { error: 'invalid', fields: { a: ['x'] } } }, { status: 201 }] } }),
        items: (body) => (body as { results: { status: number; error?: unknown }[] }).results,
      },
    ];
    const report = await fireHostileBurst(cases, { concurrency: 2 });
    expect(report.sent).toBe(4);
    expect(report.statuses).toEqual({ 200: 1, 201: 1, 400: 1 });
    expect(report.problems).toHaveLength(3);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^accepted: answered 201/),
        'dropped: no answer (socket hang up)',
        expect.stringMatching(/^batch \[item 1\]: answered 201/),
      ]),
    );
  });
});
