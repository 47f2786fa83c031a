import type { EventMetadata } from '@city/eventsourcing';
import type { Actor, CommandContext } from '../domain/command-context';

/** Who sent the request, and the id that ties together everything it causes. */
export interface RequestContext {
  readonly actor: Actor;
  readonly correlationId: string;
}

/** What a command answers: the stream it touched, its version, and how many events this call appended (0 for a retry). */
export interface CommandReceipt {
  readonly streamId: string;
  readonly version: number;
  readonly eventsAppended: number;
}

export function commandContext(ctx: RequestContext, clock: () => Date): CommandContext {
  return { actor: ctx.actor, now: clock().toISOString() };
}

/** Metadata of each event, built after `decide`: the district comes from the event itself where it has one. */
export function metadataOf(ctx: RequestContext): (event: { readonly data: object }) => EventMetadata {
  return (event) => {
    const district = (event.data as { districtCode?: unknown }).districtCode;
    return {
      correlationId: ctx.correlationId,
      // The HTTP request is the command that directly causes the events.
      causationId: ctx.correlationId,
      actorId: ctx.actor.sub,
      actorRole: ctx.actor.role,
      ...(typeof district === 'string' ? { district } : {}),
    };
  };
}
