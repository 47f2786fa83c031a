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
      ...(algorithm === 'RS256' ? { privateKey: secretOrPrivateKey } : { secret: secretOrPrivateKey }),
      ...(options.issuer !== undefined && { issuer: options.issuer }),
      ...(options.audience !== undefined && { audience: options.audience }),
    },
  );
}
