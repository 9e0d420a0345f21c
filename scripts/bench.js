// `npm run bench`: every benchmark in bench/, one after the other (they share two cores),
// their Markdown gathered into bench/RESULTS.md with the date and the machine.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const parts = [`# Benchmark results\n\nRun by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}.\n`];
let failed = false;
for (const name of ['verify', 'send', 'ingest', 'ui']) {
  console.error(`=== bench/${name}`);
  const run = spawnSync(process.execPath, [tsx, join('bench', `${name}.ts`)], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(run.stdout);
  if (run.status !== 0) failed = true;
  parts.push(run.stdout.trim() || `## bench/${name}\n\nfailed (exit ${run.status})`);
}
writeFileSync(join(root, 'bench', 'RESULTS.md'), parts.join('\n\n') + '\n');
console.error('wrote bench/RESULTS.md');
process.exit(failed ? 1 : 0);
