#!/usr/bin/env node
// Thin launcher: the CLI is built into out/ by `npm run build` (run by `npm install` too).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('hookbench: not built yet: run `npm run build` in the Hookbench folder first\n');
  process.exit(1);
}
process.env.HOOKBENCH_CLI_ENTRY = '1';
await import(pathToFileURL(cli).href);
