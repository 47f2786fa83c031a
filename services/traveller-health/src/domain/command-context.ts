import type { Actor } from '@city/auth/access';

export type { Actor };

/** What every command carries besides its data: who (the token's actor), and when the service received it. */
export interface CommandContext {
  readonly actor: Actor;
  /** Server time the command was received (ISO-8601). */
  readonly now: string;
}
