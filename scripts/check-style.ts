// The habits of ../shared/STYLE.md that a script can check, run by `npm test` before mocha:
// lines within 100 columns, no console in library code, no `any`, no @ts-ignore, no to-do
// marker without an explanation. ESLint's TypeScript support (typescript-eslint 8) does not
// accept TypeScript 7 yet, so these few checks stand in for it; Prettier formats and
// `tsc --noEmit` checks types.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FOLDERS = ['src', 'test', 'scripts', 'bin'];

// The to-do markers, spelled in pieces so that this line itself is not one.
const MARKERS = ['TO' + 'DO', 'FIX' + 'ME', 'X' + 'XX'].join('|');
const BARE_MARKER = new RegExp(`\\b(${MARKERS})\\b(?![:(]? *[A-Za-z].{20,})`);

interface Rule {
  test: (line: string) => boolean;
  message: string;
  /** Only for files under these folders (default: all). */
  only?: string[];
}

const RULES: Rule[] = [
  { test: (line) => line.length > 100, message: 'line over 100 columns' },
  {
    test: (line) => /\bconsole\.(log|warn|error|info|debug)\(/.test(line),
    message: 'console in library code (use the logger)',
    only: ['src'],
  },
  {
    // Code only: "as any other" is English in a comment.
    test: (line) => !/^\s*(\/\/|\*)/.test(line) && /(:\s*any\b|\bas any\b|<any>)/.test(line),
    message: '`any` type',
  },
  { test: (line) => /@ts-(ignore|nocheck)/.test(line), message: '@ts-ignore' },
  {
    // Built from pieces so that this file's own source does not match it.
    test: (line) => BARE_MARKER.test(line),
    message: 'a to-do marker without a plain explanation',
  },
];

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* files(full);
    else if (/\.(ts|js|mjs)$/.test(name)) yield full;
  }
}

const problems: string[] = [];
for (const folder of FOLDERS) {
  for (const file of files(path.join(root, folder))) {
    const relative = path.relative(root, file);
    if (relative === 'scripts/check-style.ts') continue; // its own patterns would match
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        for (const rule of RULES) {
          if (rule.only && !rule.only.some((prefix) => relative.startsWith(`${prefix}/`))) continue;
          if (rule.test(line)) problems.push(`${relative}:${index + 1}: ${rule.message}`);
        }
      });
  }
}
if (problems.length > 0) {
  process.stderr.write(`${problems.join('\n')}\n${problems.length} style problem(s)\n`);
  process.exit(1);
}
process.stdout.write('style check: no problems\n');
