/** Starts the store's threads (writer-worker.ts, indexer-worker.ts) from the build, or from source under tests. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EngineError } from '../errors';

export type ThreadScript = 'writer-worker' | 'indexer-worker';

/**
 * The built entry beside the bundle (electron.vite.config.ts lists both), or,
 * under tests and tsx, the TypeScript source through tsx's loader.
 */
export function startThread(script: ThreadScript, workerData: unknown): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const source = new URL(`./${script}.ts`, here).href;
    const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`;
    return new Worker(boot, { eval: true, workerData });
  }
  // Bundled: this code sits in out/main/ or out/main/chunks/, the entries in out/main/.
  for (const candidate of [`./${script}.js`, `../${script}.js`]) {
    const file = fileURLToPath(new URL(candidate, here));
    if (existsSync(file)) return new Worker(file, { workerData });
  }
  throw new EngineError('storage_failed', `${script}.js is missing from the build`);
}
