import { issueToken, type Actor } from '@city/auth';

/** Tokens live 12 hours (the services' cap on a token's lifetime); a scenario signs new ones after 6. */
const TOKEN_LIFETIME = '12h';
const TOKEN_RENEWAL_MS = 6 * 3600_000;

/** The scenario's tokens, one per actor, signed anew once half way through their life, so a city left running for days keeps acting. */
export class ScenarioTokens {
  private readonly tokens = new Map<string, { readonly token: string; readonly signedAt: number }>();

  constructor(
    private readonly jwtSecret: string,
    private readonly now: () => number = Date.now,
  ) {}

  of(actor: Actor): string {
    const held = this.tokens.get(actor.sub);
    if (held && this.now() - held.signedAt < TOKEN_RENEWAL_MS) return held.token;
    const token = issueToken(actor, this.jwtSecret, { expiresIn: TOKEN_LIFETIME });
    this.tokens.set(actor.sub, { token, signedAt: this.now() });
    return token;
  }
}
