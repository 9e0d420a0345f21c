import { mkdirSync } from 'node:fs';
import { expect, test } from './fixtures';

test('first start shows the URL to send to, with a copy button and a ready curl line', async ({ page, hookbench }) => {
  await page.goto(hookbench.ui);
  const url = `${hookbench.receiver}/e/default`;
  await expect(page.getByRole('heading', { name: 'Waiting for the first delivery' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Deliveries' })).toContainText('No deliveries yet. They appear here the moment they arrive.');
  await expect(page.getByTestId('endpoint-url')).toHaveText(url);
  await expect(page.getByTestId('curl-line')).toContainText(`curl -X POST ${url}`);
  await page.getByRole('button', { name: 'Copy URL' }).first().click();
  await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
  // The address bar no longer carries the token.
  expect(page.url()).not.toContain('token=');
});

test('a delivery shows up live within a second and opens as headers, pretty JSON and hex', async ({ page, hookbench }) => {
  await page.goto(hookbench.ui);
  await expect(page.getByTestId('endpoint-url')).toBeVisible();
  const sentAt = Date.now();
  expect(
    await hookbench.post('/e/default?source=test', '{"event":"user.created","user":{"id":"u_42"}}', {
      'Content-Type': 'application/json',
      'X-EnvoyOU-Event-Type': 'user.created',
    }),
  ).toBe(200);
  const row = page.getByTestId('delivery-row').first();
  await expect(row).toContainText('/e/default', { timeout: 1000 });
  expect(Date.now() - sentAt).toBeLessThan(1500);
  await expect(page.getByTestId('delivery-count')).toHaveText('1');

  await row.click();
  await expect(page.getByTestId('request-line')).toHaveText('POST /e/default?source=test HTTP/1.1');
  await expect(page.getByRole('cell', { name: 'user.created' })).toBeVisible();
  await expect(page.getByTestId('body-json')).toContainText('"id": "u_42"');
  mkdirSync('docs', { recursive: true });
  await page.screenshot({ path: 'docs/first-screen.png' });

  await page.getByRole('tab', { name: 'Hex' }).click();
  await expect(page.getByTestId('body-hex')).toContainText('00000000  7b 22 65 76');
  await page.getByRole('tab', { name: /Response/ }).click();
  await expect(page.getByTestId('response-json')).toHaveText('{\n  "received": true\n}');
});

test('bodies are rendered inert: HTML stays text, invalid UTF-8 is flagged, unknown paths are explained', async ({
  page,
  hookbench,
}) => {
  await page.goto(hookbench.ui);
  await expect(page.getByTestId('endpoint-url')).toBeVisible();
  await hookbench.post('/e/default', '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>', {
    'Content-Type': 'text/html',
  });
  await hookbench.post('/not-an-endpoint', Buffer.from([0xff, 0xfe, 0x41]), { 'Content-Type': 'application/octet-stream' });
  await expect(page.getByTestId('delivery-row')).toHaveCount(2);

  await page.getByTestId('delivery-row').nth(1).click();
  await expect(page.getByTestId('body-text')).toContainText('<script>');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  await page.getByTestId('delivery-row').nth(0).click();
  await expect(page.getByText('No endpoint has this path')).toBeVisible();
  await expect(page.getByTestId('body-hex')).toContainText('ff fe 41');
  await page.getByRole('tab', { name: 'Text' }).click();
  await expect(page.getByText('Not valid UTF-8')).toBeVisible();
});

test('the keyboard moves through the list', async ({ page, hookbench }) => {
  for (const n of [1, 2, 3]) await hookbench.post('/e/default', `{"n":${n}}`, { 'Content-Type': 'application/json' });
  await page.goto(hookbench.ui);
  await expect(page.getByTestId('delivery-row')).toHaveCount(3);
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('body-json')).toContainText('"n": 3');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('body-json')).toContainText('"n": 2');
  await page.keyboard.press('k');
  await expect(page.getByTestId('body-json')).toContainText('"n": 3');
});

test('without the token the UI explains how to get in', async ({ page, hookbench }) => {
  const origin = new URL(hookbench.ui).origin;
  const response = await page.goto(origin);
  expect(response?.status()).toBe(401);
  await expect(page.locator('body')).toContainText('open the link printed by `hookbench serve`');
});

test('endpoints are created, configured and filtered from the UI', async ({ page, hookbench }) => {
  await page.goto(hookbench.ui);
  await page.getByRole('button', { name: 'Endpoints' }).click();
  await page.getByLabel('New endpoint name').fill('engageplus');
  await page.getByRole('button', { name: 'Create' }).click();
  const item = page.getByTestId('endpoint-item').filter({ hasText: 'engageplus' });
  await expect(item).toContainText(`${hookbench.receiver}/e/engageplus`);
  await item.getByRole('button', { name: 'Response…' }).click();
  await item.getByLabel('Status').fill('202');
  await item.getByLabel('Body').fill('accepted');
  await item.getByRole('button', { name: 'Save' }).click();
  await expect(item).toContainText('answers 202');

  const response = await fetch(`${hookbench.receiver}/e/engageplus`, { method: 'POST', body: 'x' });
  expect(response.status).toBe(202);
  expect(await response.text()).toBe('accepted');
  await hookbench.post('/e/default', 'y');

  await page.getByRole('button', { name: 'Close endpoints' }).click();
  await expect(page.getByTestId('delivery-row')).toHaveCount(2);
  await page.getByLabel('Show deliveries of').selectOption({ label: 'engageplus' });
  await expect(page.getByTestId('delivery-row')).toHaveCount(1);
  await expect(page.getByTestId('delivery-row')).toContainText('/e/engageplus');
  await expect(page.getByTestId('topbar-url')).toHaveText(`${hookbench.receiver}/e/engageplus`);
  // Filters that hide everything say so, and clear in one click.
  await page.getByLabel('Search deliveries').fill('no such text anywhere');
  await expect(page.getByText('Nothing matches these filters.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByLabel('Search deliveries')).toHaveValue('');
  await expect(page.getByTestId('delivery-row')).toHaveCount(1);

  await expect(page.getByLabel('New endpoint name')).toHaveCount(0);
  await page.getByRole('button', { name: 'Endpoints' }).click();
  await page.getByLabel('New endpoint name').fill('bad name!');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('alert')).toContainText('an endpoint name is 1-63 letters');
  await expect(page.getByTestId('endpoint-item')).toHaveCount(2);
});

test('a long list scrolls to its oldest row, reading rows as they come into view', async ({ page, hookbench }) => {
  const n = 2500;
  for (let start = 0; start < n; start += 50) {
    await Promise.all(Array.from({ length: 50 }, (_, k) => hookbench.post(`/e/default?n=${start + k}`, '{}', { 'Content-Type': 'application/json' })));
  }
  await page.goto(hookbench.ui);
  await expect(page.getByTestId('delivery-count')).toHaveText(String(n));
  const list = page.getByRole('listbox', { name: 'Deliveries, newest first' });
  // The scrollbar spans every row, not only the loaded ones: the end is the oldest delivery.
  await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(page.getByTestId('delivery-row').filter({ hasText: '?n=0' })).toBeVisible();
  await expect(page.getByTestId('delivery-row').first()).not.toContainText('?n=2499');
  // Only the rows in view are in the page.
  expect(await page.getByTestId('delivery-row').count()).toBeLessThan(60);
  await list.evaluate((el) => (el.scrollTop = 0));
  await expect(page.getByTestId('delivery-row').filter({ hasText: '?n=2499' })).toBeVisible();
});
