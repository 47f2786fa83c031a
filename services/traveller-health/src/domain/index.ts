export * from './access-policy';
export {
  checkpointRegistryDecider,
  type Checkpoint,
  type CheckpointCommand,
  type CheckpointEvent,
  type CheckpointRegistryState,
} from './checkpoint-registry.decider';
export * from './command-context';
export * from './identity';
export * from './risk-rules';
export * from './rule-replay';
export * from './rules';
export { OBSERVATION_DAYS, travellerDecider, type Observation, type TravellerCommand, type TravellerEvent, type TravellerState } from './traveller.decider';
export * from './registration-checks';
