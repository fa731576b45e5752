import assert from 'node:assert/strict';
import { StopRequest } from '../../src/run/signals.ts';

describe('StopRequest', () => {
  let realExit: typeof process.exit;
  let exits: (number | undefined)[] = [];

  beforeEach(() => {
    realExit = process.exit;
    exits = [];
    process.exit = ((code?: number) => {
      exits.push(code);
    }) as typeof process.exit;
  });

  afterEach(() => {
    process.exit = realExit;
  });

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`asks to stop on the first ${signal} and exits ${code} at once on the second`, () => {
      const stop = new StopRequest().install('finishing the current step');

      process.emit(signal, signal);
      const afterFirst = { requested: stop.requested, exits: [...exits] };
      process.emit(signal, signal);
      stop.uninstall();

      assert.deepEqual(afterFirst, { requested: signal, exits: [] });
      assert.equal(stop.exitCode, code);
      assert.deepEqual(exits, [code]);
    });
  }

  it('stops listening when uninstalled', () => {
    const stop = new StopRequest().install('finishing the current step');
    const before = process.listenerCount('SIGINT');

    stop.uninstall();

    assert.equal(process.listenerCount('SIGINT'), before - 1);
    assert.equal(stop.exitCode, 0);
  });
});
