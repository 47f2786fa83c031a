/**
 * Benchmark: CPU per bearer-token verification through `TokenVerifier`, the verified-token cache off.
 *
 *   node -r @swc-node/register bench/token-verify.ts
 *
 * Env: BENCH_HS256 (fresh HS256 tokens, shared-secret mode, default 5000), BENCH_RS256 (fresh RS256
 * tokens of a trusted issuer, default 1000: once with its key given as PEM, once from a JWKS URL
 * served on 127.0.0.1), BENCH_WARMUP (tokens verified first and not counted, default 300).
 *
 * Every token is distinct (a `jti` each) and `verifiedTokenTtlMs` is 0, as when each enterprise of
 * the reopening benchmark sends its own token once: every verification checks the signature. The
 * tokens are signed before the timing (the HS256 ones timed apart: `hs256SignCpuUs`, CPU per token
 * through `issueToken`, as the load generators and `npm start`'s scenarios sign). Verifications run one after the other. CPU is the process's
 * user+system time (all its threads, so work handed to libuv's pool counts) per verification, in µs;
 * `wallUs` the elapsed time per verification. Prints one JSON line with the load average.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { exportJWK } from 'jose';
import { issueToken, resolveAuthOptions, TokenVerifier, type Actor } from '@city/auth';

const HS256 = Number(process.env.BENCH_HS256 ?? 5_000);
const RS256 = Number(process.env.BENCH_RS256 ?? 1_000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
const SECRET = 'a-bench-secret-of-at-least-32-characters!';
const ISSUER = 'https://id.city.example/bench';
const AUDIENCE = 'city-services';
const actor: Actor = { sub: '91310000MA1FL0B01X', role: 'enterprise' };

interface Figures {
  readonly tokens: number;
  readonly cpuUs: number;
  readonly wallUs: number;
}

async function measure(verifier: TokenVerifier, tokens: readonly string[]): Promise<Figures> {
  for (const token of tokens.slice(0, WARMUP)) await verifier.verify(token);
  const counted = tokens.slice(WARMUP);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const token of counted) await verifier.verify(token);
  const wall = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  const per = (us: number) => Math.round((us / counted.length) * 10) / 10;
  return { tokens: counted.length, cpuUs: per(user + system), wallUs: per(wall * 1000) };
}

/** Distinct tokens: the same claims with a `jti` each. */
function fresh(count: number, sign: (jti: string) => string): string[] {
  return Array.from({ length: count + WARMUP }, () => sign(randomUUID()));
}

async function main(): Promise<void> {
  const load = [loadavg()[0]];
  const hs = new TokenVerifier(resolveAuthOptions({ secret: SECRET, verifiedTokenTtlMs: 0 }));
  const signing = process.cpuUsage();
  const hsTokens = fresh(HS256, (jti) => issueToken({ ...actor, jti } as Actor, SECRET, { expiresIn: '1h' }));
  const signed = process.cpuUsage(signing);
  const hs256SignCpuUs = Math.round(((signed.user + signed.system) / hsTokens.length) * 10) / 10;

  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const rsTokens = fresh(RS256, (jti) =>
    issueToken({ ...actor, jti } as Actor, privatePem, { algorithm: 'RS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: '1h' }),
  );
  const pem = new TokenVerifier(
    resolveAuthOptions({
      audience: AUDIENCE,
      verifiedTokenTtlMs: 0,
      issuers: [{ issuer: ISSUER, publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() }],
    }),
  );
  // The issuer's keys as a JWKS (no `kid` in the tokens: the one RSA key matches).
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), alg: 'RS256', use: 'sig' }] });
  const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  const remote = new TokenVerifier(resolveAuthOptions({ audience: AUDIENCE, verifiedTokenTtlMs: 0, issuers: [{ issuer: ISSUER, jwksUrl }] }));

  const hs256 = await measure(hs, hsTokens);
  load.push(loadavg()[0]);
  const rs256Pem = await measure(pem, rsTokens);
  const rs256Jwks = await measure(remote, rsTokens);
  load.push(loadavg()[0]);
  server.close();
  console.log(JSON.stringify({ bench: 'token-verify', hs256SignCpuUs, hs256, rs256Pem, rs256Jwks, loadAverage: load.map((l) => Math.round(l * 10) / 10) }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
