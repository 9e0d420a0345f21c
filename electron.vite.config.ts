import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // Two entries share the engine: the Electron shell and the headless CLI; the other two
        // are the store's threads (writer, indexer), which the engine starts from the built files.
        input: {
          index: resolve('src/main/index.ts'),
          cli: resolve('src/main/headless/cli.ts'),
          'writer-worker': resolve('src/main/engine/store/writer-worker.ts'),
          'indexer-worker': resolve('src/main/engine/store/indexer-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        // A sandboxed preload cannot be an ES module.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [react()],
  },
});
