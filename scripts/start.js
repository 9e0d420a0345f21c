// `npm start`: the desktop app where Electron can run; otherwise one line that
// says why, and the headless mode in a browser on the same data folder.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary, electronSqliteBinding } from './electron-runtime.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function run(command, commandArgs, env = process.env) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
}

if (!existsSync(join(root, 'out', 'main', 'index.js')) || !existsSync(join(root, 'out', 'renderer', 'index.html'))) {
  const built = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

function headless(why) {
  console.log(`Hookbench: ${why}; starting the headless mode instead: open the URL below in a browser.`);
  run(process.execPath, [join(root, 'bin', 'hookbench.js'), 'serve', ...args]);
}

const binary = process.env.HOOKBENCH_HEADLESS ? { ok: false, why: 'HOOKBENCH_HEADLESS is set' } : electronBinary();
if (!binary.ok) {
  headless(binary.why);
} else {
  const sqlite = electronSqliteBinding();
  if (!sqlite.ok) {
    headless(sqlite.why);
  } else {
    const env = { ...process.env, HOOKBENCH_SQLITE_BINDING: sqlite.value };
    delete env.ELECTRON_RUN_AS_NODE;
    run(binary.value, [root, ...args], env);
  }
}
