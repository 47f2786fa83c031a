/**
 * A decider is the whole behaviour of one aggregate as three pure functions
 * (in the manner of Emmett and Jérémie Chassaing's "functional event sourcing"):
 * `decide` turns a command into the events it causes, `evolve` folds an event
 * into the state, `initialState` is the state of a stream that has no events.
 * Time, ids and the actor arrive inside the command, so `decide` is deterministic.
 * Stream ids, expected versions and event metadata are the command handler's:
 * a decider sees only the command and the state, and its state keeps no version.
 */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** Folds a list of events into the state they produce. */
export function foldEvents<Event, State>(
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  events: readonly Event[],
  from: State = decider.initialState(),
): State {
  return events.reduce((state, event) => decider.evolve(state, event), from);
}

/** Use in the `default` branch of a switch over a discriminated union. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
