import type { Decider } from '../decider';
import { foldEvents } from '../decider';

/**
 * Given / when / then for deciders, in the manner of Emmett's DeciderSpecification:
 *
 *   spec.given([unitRegistered]).when(recordVisit).then([visitRecorded]);
 *   spec.given([]).when(recordVisit).thenThrows(NotFoundError, /unknown unit/);
 */
export function deciderSpecification<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(events: readonly Event[]) {
      return {
        when(command: Command) {
          const run = () => decider.decide(command, foldEvents(decider, events));
          return {
            then(expected: readonly Event[]): void {
              expect(run()).toEqual(expected);
            },
            thenNothingHappens(): void {
              expect(run()).toEqual([]);
            },
            thenThrows(errorClass: abstract new (...args: never[]) => Error, message?: string | RegExp): void {
              expect(run).toThrow(errorClass as unknown as new () => Error);
              if (message !== undefined) expect(run).toThrow(message);
            },
          };
        },
      };
    },
  };
}
