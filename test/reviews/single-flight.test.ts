import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../src/reviews/single-flight.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('SingleFlight', () => {
  it('runs one task per key at a time; calls during a run cause exactly one more round, which they wait for', async () => {
    const flights = new SingleFlight();
    const first = gate();
    let running = 0;
    let most = 0;
    let rounds = 0;
    const task = async () => {
      running++;
      most = Math.max(most, running);
      rounds++;
      if (rounds === 1) await first.opened;
      running--;
    };
    let firstDone = false;
    const a = flights.run('review', task).then(() => (firstDone = true));
    const joined = [flights.run('review', task), flights.run('review', task), flights.run('review', task)];
    await Promise.resolve();
    expect(rounds).toBe(1);
    first.open();
    await Promise.all([a, ...joined]);
    expect(firstDone).toBe(true);
    // Three callers joined during the first round: one more round covers them all.
    expect(rounds).toBe(2);
    expect(most).toBe(1);
    expect(flights.size).toBe(0);
  });

  it('runs different keys side by side', async () => {
    const flights = new SingleFlight();
    const blocker = gate();
    const started: string[] = [];
    const task = (key: string) => async () => {
      started.push(key);
      await blocker.opened;
    };
    const both = [flights.run('a', task('a')), flights.run('b', task('b'))];
    await Promise.resolve();
    expect(started.sort()).toEqual(['a', 'b']);
    blocker.open();
    await Promise.all(both);
  });

  it('a failing round rejects everyone waiting on it and frees the key', async () => {
    const flights = new SingleFlight();
    const failing = flights.run('k', async () => {
      await Promise.resolve();
      throw new Error('store down');
    });
    const joined = flights.run('k', async () => undefined);
    await expect(failing).rejects.toThrow('store down');
    await expect(joined).rejects.toThrow('store down');
    let ran = false;
    await flights.run('k', async () => {
      ran = true;
    });
    expect(ran).toBe(true);
  });

  it('calls that joined before the task said it covers them need no extra round; later ones do', async () => {
    const flights = new SingleFlight();
    const beforeCover = gate();
    const afterCover = gate();
    let rounds = 0;
    let joinLate: Promise<void> | undefined;
    const task = async (covered: () => void) => {
      rounds++;
      if (rounds > 1) return;
      await beforeCover.opened;
      covered();
      // A delivery that joins now may have been queued after the last look: it needs one more round.
      joinLate = flights.run('k', task);
      await afterCover.opened;
    };
    const first = flights.run('k', task);
    const joinedEarly = flights.run('k', task);
    beforeCover.open();
    await Promise.resolve();
    afterCover.open();
    await Promise.all([first, joinedEarly]);
    await joinLate;
    expect(rounds).toBe(2);

    // Without a late joiner the early one is covered: one round only.
    const once = new SingleFlight();
    let onceRounds = 0;
    const release = gate();
    const covering = once.run('k', async (covered) => {
      onceRounds++;
      await release.opened;
      covered();
    });
    const early = once.run('k', async () => {
      onceRounds++;
    });
    release.open();
    await Promise.all([covering, early]);
    expect(onceRounds).toBe(1);
  });
});
