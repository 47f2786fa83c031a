import { ShutdownDeadline } from './shutdown-deadline';

const never = () => new Promise<void>(() => undefined);

describe('ShutdownDeadline', () => {
  it('gives up on a step that hangs and still runs the steps after it', async () => {
    const deadline = new ShutdownDeadline(2000);
    const ran: string[] = [];
    const logged: string[] = [];
    const outcomes = await deadline.run(
      [
        { name: 'relay', run: never },
        { name: 'store', run: async () => void ran.push('store') },
        { name: 'database', run: async () => void ran.push('database') },
      ],
      (message) => logged.push(message),
    );
    expect(outcomes.map((o) => [o.name, o.outcome])).toEqual([
      ['relay', 'timed out'],
      ['store', 'done'],
      ['database', 'done'],
    ]);
    expect(ran).toEqual(['store', 'database']);
    expect(logged).toEqual(['Shutdown step "relay" did not finish in time; going on without it']);
  });

  it('reports a step that fails, never throws, and goes on', async () => {
    const logged: string[] = [];
    const outcomes = await new ShutdownDeadline(1000).run(
      [
        {
          name: 'producer',
          run: () => {
            throw new Error('broker unreachable');
          },
        },
        { name: 'store', run: () => undefined },
      ],
      (message) => logged.push(message),
    );
    expect(outcomes.map((o) => o.outcome)).toEqual(['failed', 'done']);
    expect(logged).toEqual(['Shutdown step "producer" failed: broker unreachable']);
  });

  it('keeps time from the first begin: a later run has only what is left', async () => {
    const deadline = new ShutdownDeadline(1500);
    expect(deadline.remainingMs()).toBe(1500);
    deadline.begin();
    await deadline.run([{ name: 'hangs', run: never }]);
    expect(deadline.remainingMs()).toBe(0);
    expect((await deadline.run([{ name: 'too late', run: never }]))[0].outcome).toBe('timed out');
  });

  it('refuses a timeout that is not a positive number', () => {
    expect(() => new ShutdownDeadline(0)).toThrow(/positive/);
    expect(() => new ShutdownDeadline(Number.NaN)).toThrow(/positive/);
  });
});
