#!/usr/bin/env node
// tabsynth's installed entry point: registers the TypeScript loader (tsx) and runs the CLI,
// so the package ships its sources and needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
