import type { Actor } from '../actor';

/** The request property the guard stores the verified actor in. */
const ACTOR_PROPERTY = 'actor';

export function actorOf(request: object): Actor | undefined {
  return (request as Record<string, unknown>)[ACTOR_PROPERTY] as Actor | undefined;
}

export function attachActor(request: object, actor: Actor): void {
  (request as Record<string, unknown>)[ACTOR_PROPERTY] = actor;
}
