import { deterministicUuid, eventIdOfCommand, scheduledCommandId } from './command-id';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('command ids of scheduled commands', () => {
  it('are version 5 UUIDs, the same for the same schedule on every call', () => {
    expect(scheduledCommandId('traveller-health', 'release-7')).toMatch(UUID_V5);
    expect(scheduledCommandId('traveller-health', 'release-7')).toBe(scheduledCommandId('traveller-health', 'release-7'));
  });

  it('differ between schedules, services and events of one command', () => {
    const ids = [
      scheduledCommandId('traveller-health', 'release-7'),
      scheduledCommandId('traveller-health', 'release-8'),
      scheduledCommandId('enterprise-reopening', 'release-7'),
      eventIdOfCommand(scheduledCommandId('traveller-health', 'release-7'), 0),
      eventIdOfCommand(scheduledCommandId('traveller-health', 'release-7'), 1),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    ids.forEach((i) => expect(i).toMatch(UUID_V5));
  });

  it('keep parts apart: ("a-b", "c") is not ("a", "b-c")', () => {
    expect(deterministicUuid('a-b', 'c')).not.toBe(deterministicUuid('a', 'b-c'));
  });
});
