import { fakeTunnelServer } from '../engine/tunnel/fake-server';
import { expect, test } from './fixtures';

test('a public URL in one click: the toolbar shows the tunnel state, and URLs switch to the public base', async ({ page, hookbench }) => {
  const server = await fakeTunnelServer();
  try {
    await page.goto(hookbench.ui);
    await expect(page.getByTestId('tunnel-status')).toHaveText('Tunnel off');
    await page.getByRole('button', { name: 'Tunnel settings' }).click();
    await page.getByLabel('Tunnel server').fill(server.host);
    await page.getByRole('button', { name: 'Start tunnel' }).click();
    await expect(page.getByTestId('tunnel-status')).toHaveText('Tunnel open');
    await expect(page.getByTestId('tunnel-url')).toHaveText('https://t1.tunnel.test');
    await expect(page.getByTestId('topbar-url')).toHaveText('https://t1.tunnel.test/e/default');
    await expect(page.getByTestId('endpoint-url')).toHaveText('https://t1.tunnel.test/e/default');

    await server.waitForSockets(1);
    await server.request('POST /e/default HTTP/1.1\r\nHost: t1.tunnel.test\r\nX-Forwarded-For: 198.51.100.23\r\nContent-Length: 2\r\n\r\n{}');
    await page.getByTestId('delivery-row').first().click();
    await expect(page.getByTestId('delivery-row').first()).toContainText('via tunnel');
    await expect(page.getByTestId('via-tunnel')).toContainText('from 198.51.100.23 (as the tunnel server says; not verified)');

    await page.getByRole('tab', { name: 'Keys' }).click();
    await expect(page.getByTestId('jwks-url')).toHaveText('https://t1.tunnel.test/.well-known/jwks.json');
    await page.getByRole('button', { name: 'Stop tunnel' }).click();
    await expect(page.getByTestId('tunnel-status')).toHaveText('Tunnel off');
    await expect(page.getByTestId('jwks-url')).toHaveText(`${hookbench.receiver}/.well-known/jwks.json`);
  } finally {
    await server.close();
  }
});
