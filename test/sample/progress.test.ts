// Tests of the sampling progress: a bar redrawn in place on a terminal, log lines with the
// numbers as fields elsewhere, and nothing after the last row in a log (the summary follows).
import assert from 'node:assert/strict';

import type { Logger } from '../../src/util/logger.ts';
import { SampleProgress } from '../../src/sample/progress.ts';

/** A stand-in terminal that records what is written. */
function fakeTerminal(): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = {
    write: (text: string) => written.push(text) > 0,
  } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

/** A stand-in logger that records info lines. */
function fakeLog(): { log: Logger; lines: { message: string; fields: Record<string, unknown> }[] } {
  const lines: { message: string; fields: Record<string, unknown> }[] = [];
  const log = {
    info: (message: string, fields: Record<string, unknown>) => lines.push({ message, fields }),
  } as unknown as Logger;
  return { log, lines };
}

describe('SampleProgress', function () {
  it('draws a bar with rows, rate and ETA on a terminal, and clears it at the end', function () {
    const { stream, written } = fakeTerminal();
    const progress = new SampleProgress({ total: 1000, terminal: stream, log: fakeLog().log });

    progress.update(250, 250);
    progress.finish();

    assert.equal(written.length, 2);
    assert.match(
      written[0]!,
      /^\r\[######\.{18}\]  25\.0 %  250\/1,000 rows  [\d,]+ rows\/s  ETA \S+\x1b\[K$/,
    );
    assert.equal(written[1], '\r\x1b[K');
  });

  it('shows the acceptance rate when candidates differ from rows (--where)', function () {
    const { stream, written } = fakeTerminal();
    const progress = new SampleProgress({ total: 1000, terminal: stream, log: fakeLog().log });

    progress.update(100, 400);

    assert.match(written[0]!, /  accepted 25 %\x1b\[K$/);
  });

  it('logs at most one line per interval, with fields, and none at 100 %', async function () {
    const { log, lines } = fakeLog();
    const progress = new SampleProgress({
      total: 1000,
      terminal: null,
      log,
      logEverySeconds: 0.05,
    });

    progress.update(100, 100); // before the first interval: nothing
    await new Promise((resolve) => setTimeout(resolve, 60));
    progress.update(500, 500);
    progress.update(600, 600); // same interval: nothing
    await new Promise((resolve) => setTimeout(resolve, 60));
    progress.update(1000, 1000); // done: the summary line follows instead

    assert.equal(lines.length, 1);
    assert.match(lines[0]!.message, /^sampling  50\.0 %  500\/1,000 rows  [\d,]+ rows\/s  ETA /);
    assert.equal(lines[0]!.fields['rows'], 500);
    assert.equal(lines[0]!.fields['total'], 1000);
    assert.equal(lines[0]!.fields['event'], 'sample_progress');
  });
});
