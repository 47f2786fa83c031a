import { issuerScopeProblem, parseTrustedIssuers } from './trusted-issuers';

describe('parseTrustedIssuers', () => {
  it('reads issuers with a JWKS URL or a key file, bound to a department or not', () => {
    const text = JSON.stringify([
      { issuer: 'https://id.city/canvass', department: 'canvass', jwksUrl: 'https://id.city/canvass/jwks.json' },
      { issuer: 'https://id.city', keyFile: '/etc/city/idp.pem' },
    ]);
    expect(parseTrustedIssuers(text)).toEqual({ ok: true, issuers: JSON.parse(text) });
  });

  it.each([
    ['{', 'JWT_ISSUERS must be a JSON array of issuers'],
    ['[]', 'JWT_ISSUERS must be a non-empty JSON array of issuers'],
    ['[1]', 'JWT_ISSUERS[0] must be an object'],
    ['[{"jwksUrl":"https://x"}]', 'JWT_ISSUERS[0].issuer is required'],
    ['[{"issuer":"a"}]', 'JWT_ISSUERS[0] needs exactly one of jwksUrl, keyFile, publicKey'],
    ['[{"issuer":"a","jwksUrl":"https://x","keyFile":"/k"}]', 'JWT_ISSUERS[0] needs exactly one of jwksUrl, keyFile, publicKey'],
    ['[{"issuer":"a","jwksUrl":"ftp://x"}]', 'JWT_ISSUERS[0].jwksUrl must be an http(s) URL'],
    ['[{"issuer":"a","keyFile":"/k","department":"police"}]', expect.stringMatching(/^JWT_ISSUERS\[0\]\.department must be one of canvass/)],
    ['[{"issuer":"a","keyFile":"/k","secret":"x"}]', expect.stringMatching(/^JWT_ISSUERS\[0\]\.secret is not a setting/)],
    ['[{"issuer":"a","keyFile":"/k"},{"issuer":"a","keyFile":"/j"}]', 'JWT_ISSUERS[1].issuer a is listed twice'],
  ])('refuses %s', (text, problem) => expect(parseTrustedIssuers(text)).toEqual({ ok: false, problem }));
});

describe('issuerScopeProblem', () => {
  const canvassIssuer = { issuer: 'canvass-idp', department: 'canvass', keyFile: '/k' } as const;
  const cityIssuer = { issuer: 'city-idp', keyFile: '/k' } as const;

  it('a department issuer signs its own department tokens', () => {
    expect(issuerScopeProblem(canvassIssuer, { sub: 'd', role: 'department', department: 'canvass' })).toBeUndefined();
  });
  it('a department issuer does not sign for another department', () => {
    expect(issuerScopeProblem(canvassIssuer, { sub: 'd', role: 'department', department: 'traveller-health' })).toBe(
      'issuer canvass-idp signs only tokens of department canvass',
    );
  });
  it('a department issuer does not sign city-center tokens', () => {
    expect(issuerScopeProblem(canvassIssuer, { sub: 'c', role: 'city-center' })).toBe('issuer canvass-idp signs only tokens of department canvass');
  });
  it('the city issuer signs tokens without a department, and none with one', () => {
    expect(issuerScopeProblem(cityIssuer, { sub: 'c', role: 'city-center' })).toBeUndefined();
    expect(issuerScopeProblem(cityIssuer, { sub: 'd', role: 'department', department: 'canvass' })).toBe(
      'issuer city-idp may not sign tokens of department canvass',
    );
  });
});
