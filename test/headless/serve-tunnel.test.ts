import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fakeTunnelServer } from '../engine/tunnel/fake-server';
import { tempDir } from '../helpers';

describe('hookbench serve --tunnel', () => {
  let child: ChildProcess | undefined;
  const dir = tempDir();
  afterEach(() => {
    child?.kill('SIGKILL');
    dir.remove();
  });

  it('opens the tunnel before it reports ready, and prints the public URL', async () => {
    const server = await fakeTunnelServer();
    try {
      child = spawn(process.execPath, ['bin/hookbench.js', 'serve', '--json', '--port', '0', '--data-dir', dir.path, '--tunnel', '--tunnel-host', server.host, '--subdomain', 'acme-hooks'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child!.stdout! }).once('line', resolve);
        child!.once('exit', (code) => reject(new Error(`exited with ${code}`)));
      });
      expect(JSON.parse(line)).toMatchObject({ publicUrl: 'https://acme-hooks.tunnel.test', endpoints: ['default'] });
      expect(server.requests).toEqual(['/acme-hooks']);
    } finally {
      child?.kill('SIGTERM');
      await server.close();
    }
  });
});
