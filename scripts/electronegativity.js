// Runs @doyensec/electronegativity over src/ and fails on any finding of
// MEDIUM severity or above. It exits 0 whatever it finds, so its CSV is read
// here. A finding can pass only when it is listed below with the reason it
// was reviewed; each such finding is still printed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const REVIEWED = {
  // The preload exposes only `invoke` and `on` of the typed contract through contextBridge,
  // with contextIsolation and sandbox on; every IPC handler checks the sending frame.
  'PRELOAD_JS_CHECK main/index.ts': 'the bridge of the typed contract; reviewed',
};

const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const dir = mkdtempSync(join(tmpdir(), 'electronegativity-'));
const out = join(dir, 'findings.csv');
const run = spawnSync(process.execPath, [join(root, 'node_modules/@doyensec/electronegativity/dist/index.js'), '-i', join(root, 'src'), '-o', out, '-r', '-e', electronVersion], {
  encoding: 'utf8',
});
let csv;
try {
  csv = readFileSync(out, 'utf8');
} catch {
  console.error(`electronegativity produced no report:\n${run.stderr}${run.stdout}`);
  process.exit(1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const rows = csv.trim().split('\n').slice(1).map((line) => {
  const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g).map((c) => c.replace(/,$/, '').replace(/^"|"$/g, ''));
  return { issue: cells[0], severity: cells[1], confidence: cells[2], file: cells[3], location: cells[4], description: cells[6] };
});
const serious = rows.filter((r) => ['MEDIUM', 'HIGH', 'CRITICAL'].includes(r.severity));
const failing = serious.filter((r) => !REVIEWED[`${r.issue} ${r.file}`]);
for (const r of rows) {
  const reviewed = REVIEWED[`${r.issue} ${r.file}`];
  console.log(`${r.severity.padEnd(8)} ${r.issue} ${r.file}:${r.location} ${reviewed ? `(reviewed: ${reviewed})` : `- ${r.description}`}`);
}
console.log(`electronegativity (Electron ${electronVersion}): ${rows.length} finding(s), ${serious.length} medium or above, ${failing.length} not reviewed`);
process.exit(failing.length === 0 ? 0 : 1);
