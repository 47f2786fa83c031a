import { assertNever, RuleViolationError, type Decider } from '@city/eventsourcing';
import type { CheckpointKind, CheckpointRegistered } from '@city/contracts';
import { travellerHealthAccess } from './access-policy';
import type { CommandContext } from './command-context';
import { Rule } from './rules';

/** The city's checkpoints (`traveller-health.checkpoints`): reference data the city registers, not constants. */

export interface Checkpoint {
  readonly checkpointId: string;
  readonly name: string;
  readonly kind: CheckpointKind;
  readonly districtCode: string;
}

export type RegisterCheckpoint = { readonly type: 'RegisterCheckpoint'; readonly data: Checkpoint; readonly metadata: CommandContext };
export type CheckpointCommand = RegisterCheckpoint;
export type CheckpointEvent = CheckpointRegistered;
export type CheckpointRegistryState = { readonly checkpoints: ReadonlyMap<string, Checkpoint> };

export const initialState = (): CheckpointRegistryState => ({ checkpoints: new Map() });

export function evolve(state: CheckpointRegistryState, event: CheckpointEvent): CheckpointRegistryState {
  switch (event.type) {
    case 'CheckpointRegistered': {
      const { checkpointId, name, kind, districtCode } = event.data;
      return { checkpoints: new Map(state.checkpoints).set(checkpointId, { checkpointId, name, kind, districtCode }) };
    }
    default:
      return assertNever(event.type, 'checkpoint event');
  }
}

export function registerCheckpoint(command: RegisterCheckpoint, state: CheckpointRegistryState): CheckpointEvent[] {
  const { actor, now } = command.metadata;
  const c = command.data;
  travellerHealthAccess.assert('registerCheckpoints', actor, { district: c.districtCode });
  const known = state.checkpoints.get(c.checkpointId);
  if (known) {
    if (known.name === c.name && known.kind === c.kind && known.districtCode === c.districtCode) return []; // a retry
    throw new RuleViolationError(Rule.checkpointAlreadyRegistered, `Checkpoint ${c.checkpointId} is already registered as ${known.name}`);
  }
  return [{ type: 'CheckpointRegistered', data: { ...c, registeredBy: actor.sub, registeredAt: now } }];
}

export function decide(command: CheckpointCommand, state: CheckpointRegistryState): CheckpointEvent[] {
  switch (command.type) {
    case 'RegisterCheckpoint':
      return registerCheckpoint(command, state);
    default:
      return assertNever(command.type, 'checkpoint command');
  }
}

export const checkpointRegistryDecider: Decider<CheckpointCommand, CheckpointEvent, CheckpointRegistryState> = { decide, evolve, initialState };
