import { createPrivateKey, createSecretKey, type KeyObject } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type { Actor } from '../actor';

export interface IssueTokenOptions {
  /** Lifetime: seconds, or a string like `15m`, `12h`, `7d` (default `12h`). */
  readonly expiresIn?: number | `${number}${'s' | 'm' | 'h' | 'd'}`;
  readonly issuer?: string;
  readonly audience?: string;
  /** PEM private key: sign RS256 instead of HS256 with the secret. */
  readonly algorithm?: 'HS256' | 'RS256';
}

const signer = new JwtService({});

/**
 * Signing keys by secret or PEM, made once: given a string, jsonwebtoken first tries to
 * parse it as a private key on every call (about a millisecond here), which made a scenario
 * or load generator signing a token per command spend most of its time there. A handful
 * of keys per process (a secret, an issuer's key), so the map stays small.
 */
const keys = new Map<string, KeyObject>();
function keyOf(secretOrPrivateKey: string, algorithm: 'HS256' | 'RS256'): KeyObject {
  const id = `${algorithm}:${secretOrPrivateKey}`;
  let key = keys.get(id);
  if (!key) {
    key = algorithm === 'RS256' ? createPrivateKey(secretOrPrivateKey) : createSecretKey(Buffer.from(secretOrPrivateKey, 'utf8'));
    if (keys.size >= 64) keys.clear();
    keys.set(id, key);
  }
  return key;
}

/**
 * Signs a token for `actor` (tests, `npm start`, demo scripts). Production
 * tokens come from the city's identity provider; this is for development.
 */
export function issueToken(actor: Actor, secretOrPrivateKey: string, options: IssueTokenOptions = {}): string {
  const { sub, ...claims } = actor;
  const algorithm = options.algorithm ?? 'HS256';
  return signer.sign(
    { ...claims },
    {
      subject: sub,
      expiresIn: options.expiresIn ?? '12h',
      algorithm,
      privateKey: keyOf(secretOrPrivateKey, algorithm),
      ...(options.issuer !== undefined && { issuer: options.issuer }),
      ...(options.audience !== undefined && { audience: options.audience }),
    },
  );
}
