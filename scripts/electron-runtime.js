// Gets what the desktop app needs beyond `npm install`: the Electron binary
// (downloaded by electron's own installer on first use) and a build of
// better-sqlite3 for Electron's ABI, kept apart from the Node build that the
// CLI and the tests load. Each step answers { ok, value } or { ok: false, why }.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const electronDir = join(root, 'node_modules', 'electron');

function firstErrorLine(text) {
  const line = text.split('\n').find((l) => /error|fail|ENOTFOUND|ECONN|EAI_AGAIN/i.test(l));
  return (line ?? text.trim().split('\n').pop() ?? '').trim().slice(0, 200);
}

export function electronBinary({ download = true } = {}) {
  const pathFile = join(electronDir, 'path.txt');
  const installed = () => {
    if (!existsSync(pathFile)) return undefined;
    const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8'));
    return existsSync(binary) ? binary : undefined;
  };
  const ready = installed();
  if (ready) return { ok: true, value: ready };
  if (!existsSync(electronDir)) return { ok: false, why: 'the electron package is not installed (run npm install)' };
  if (!download) {
    return { ok: false, why: 'no Electron binary here: it is downloaded by `npm start` on a machine with network access' };
  }
  const run = spawnSync(process.execPath, [join(electronDir, 'install.js')], { encoding: 'utf8', timeout: 300_000 });
  const after = installed();
  if (run.status === 0 && after) return { ok: true, value: after };
  return {
    ok: false,
    why: `the Electron runtime could not be downloaded (${firstErrorLine(`${run.stderr}\n${run.stdout}`) || 'no network?'})`,
  };
}

/** better_sqlite3.node for this Electron version, built once into node_modules/.hookbench/. */
export function electronSqliteBinding() {
  const version = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
  const target = join(root, 'node_modules', '.hookbench', `electron-${version}`);
  const binding = join(target, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) return { ok: true, value: binding };
  const source = dirname(require.resolve('better-sqlite3/package.json'));
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  cpSync(source, target, { recursive: true, filter: (p) => !p.includes(`${source}/build`) });
  const prebuild = require.resolve('prebuild-install/bin.js');
  const args = ['--runtime', 'electron', '--target', version, '--arch', process.arch, '--platform', process.platform];
  const fetched = spawnSync(process.execPath, [prebuild, ...args], { cwd: target, encoding: 'utf8', timeout: 300_000 });
  if (existsSync(binding)) return { ok: true, value: binding };
  // No prebuilt binary for this Electron: compile against Electron's headers.
  const gyp = spawnSync(
    'npx',
    ['--yes', 'node-gyp', 'rebuild', '--release', `--target=${version}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'],
    { cwd: target, encoding: 'utf8', timeout: 600_000, shell: process.platform === 'win32' },
  );
  if (existsSync(binding)) return { ok: true, value: binding };
  return {
    ok: false,
    why: `better-sqlite3 could not be built for Electron ${version} (${firstErrorLine(`${fetched.stderr}\n${gyp.stderr}`)})`,
  };
}
