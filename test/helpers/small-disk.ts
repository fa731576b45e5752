// A tiny real file system (tmpfs) for disk-full and read-only tests. Mounting needs root
// and mount rights; where they are missing, `mountSmallDisk` returns null and tests skip.
import { execFileSync } from 'node:child_process';
import { makeTempDir } from './temp-dir.ts';

/** A mounted tmpfs: `fill()` takes all free space, `readOnly()` remounts it read-only. */
export interface SmallDisk {
  dir: string;
  fill(): void;
  readOnly(): void;
  unmount(): void;
}

/** Mounts a tmpfs of `kilobytes` KiB, or returns null when this machine does not allow it. */
export function mountSmallDisk(kilobytes: number): SmallDisk | null {
  const dir = makeTempDir('tabsynth-disk-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kilobytes}k`, 'tmpfs', dir], {
      stdio: 'ignore',
    });
  } catch {
    return null; // not root, or no mount rights (an unprivileged container): tests skip
  }
  return {
    dir,
    fill: () => {
      // dd stops with "No space left on device"; the exit status is expected to be 1.
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${dir}/filler`, 'bs=4k'], { stdio: 'ignore' });
      } catch {
        // the disk is now full, which is the point
      }
    },
    readOnly: () => execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'ignore' }),
    unmount: () => execFileSync('umount', [dir], { stdio: 'ignore' }),
  };
}
