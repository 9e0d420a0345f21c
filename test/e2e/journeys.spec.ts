/**
 * The three journeys of the people Hookbench is for, end to end in Chromium
 * against `hookbench serve`, with the screenshots the README shows.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { expect, test } from './fixtures';

mkdirSync('docs', { recursive: true });

test('1. a developer wiring up EngagePlus: send, open, read the SET and the verdict, break it with a preset', async ({ page, hookbench }) => {
  await page.goto(hookbench.ui);
  // First start: an endpoint is ready, its URL is shown with a copy button.
  await expect(page.getByTestId('endpoint-url')).toHaveText(`${hookbench.receiver}/e/default`);
  await page.getByRole('tab', { name: 'Keys' }).click();
  await expect(page.getByTestId('jwks-url')).toHaveText(`${hookbench.receiver}/.well-known/jwks.json`);

  await page.getByRole('tab', { name: 'Send' }).click();
  await page.getByRole('button', { name: 'Generate a key' }).click();
  await expect(page.getByTestId('signing-key')).toContainText('Signs with hb-');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByTestId('outbound-row').first()).toContainText('delivered');

  await page.getByRole('tab', { name: 'Inspect' }).click();
  await page.getByTestId('delivery-row').first().click();
  await expect(page.getByTestId('verdict-outcome')).toHaveText('Authentic');
  await expect(page.getByTestId('jwt-header')).toContainText('"typ": "secevent+jwt"');
  await expect(page.getByTestId('jwt-times')).toContainText('iat');
  await expect(page.getByTestId('jwt-key')).toContainText("Verified with key hb-");
  await page.screenshot({ path: 'docs/journey-developer.png' });

  // Break it: a stale timestamp, replayed to the same endpoint.
  await page.getByLabel('Replay target').fill(`${hookbench.receiver}/e/default`);
  await page.getByLabel('Mutation preset').selectOption('stale-timestamp');
  await page.getByRole('button', { name: 'Send mutated' }).click();
  await expect(page.getByTestId('replay-row').first()).toBeVisible();
  await expect(page.getByTestId('delivery-row')).toHaveCount(2);
  await page.getByTestId('delivery-row').first().click();
  await expect(page.getByTestId('verdict-outcome')).toHaveText('Not authentic');
  await expect(page.locator('[data-check="iat"]')).toContainText('10 min old: beyond the allowed ±5 min');
});

test('2. QA filters, searches inside bodies, replays as captured and re-signed, and compares the answers', async ({ page, hookbench }) => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  await page.goto(hookbench.ui);
  await page.getByRole('button', { name: 'Endpoints' }).click();
  for (const name of ['voyado', 'service']) {
    await page.getByLabel('New endpoint name').fill(name);
    await page.getByRole('button', { name: 'Create' }).click();
    const item = page.getByTestId('endpoint-item').filter({ hasText: `/e/${name}` });
    await item.getByRole('button', { name: 'Verification…' }).click();
    await item.getByLabel('Scheme').selectOption('standard-webhooks');
    await item.getByLabel(/^Secrets/).fill(secret);
    await item.getByRole('button', { name: 'Save verification' }).click();
  }
  await page.getByRole('button', { name: 'Close endpoints' }).click();
  // A few deliveries from Voyado, one of them about the user we look for.
  await page.getByRole('tab', { name: 'Send' }).click();
  await page.getByRole('combobox', { name: /^Sender/ }).selectOption('voyado');
  await page.getByLabel('Send to').fill(`${hookbench.receiver}/e/voyado`);
  await page.getByLabel('Signing secret').fill(secret);
  for (const contact of ['c-1001', 'c-4242', 'c-2002']) {
    await page.getByLabel('Payload').fill(JSON.stringify({ type: 'contact.updated', data: { contactId: contact } }));
    await page.getByRole('button', { name: 'Send', exact: true }).click();
  }
  await expect(page.getByTestId('outbound-row').filter({ hasText: 'delivered' })).toHaveCount(3);
  await hookbench.post('/e/default', '{"type":"noise"}', { 'Content-Type': 'application/json' });

  await page.getByRole('tab', { name: 'Inspect' }).click();
  await page.getByLabel('Show deliveries of').selectOption({ label: 'voyado' });
  await page.getByLabel('Event type').selectOption('contact.updated');
  await page.getByLabel('Verdict').selectOption('authentic');
  await expect(page.getByTestId('delivery-row')).toHaveCount(3);
  await page.getByLabel('Search deliveries').fill('c-4242');
  await expect(page.getByTestId('delivery-row')).toHaveCount(1);
  await page.getByTestId('delivery-row').first().click();

  await page.getByLabel('Replay target').fill(`${hookbench.receiver}/e/service`);
  await page.getByRole('button', { name: 'Replay as captured' }).click();
  await expect(page.getByTestId('replay-row')).toHaveCount(1);
  await page.getByRole('button', { name: 'Replay re-signed' }).click();
  await expect(page.getByTestId('replay-row')).toHaveCount(2);
  await page.getByTestId('replay-row').nth(0).getByLabel('Pick to compare').check();
  await page.getByTestId('replay-row').nth(1).getByLabel('Pick to compare').check();
  await page.getByRole('button', { name: 'Compare the two picked' }).click();
  await expect(page.getByTestId('diff-view')).toContainText('webhook-signature');
  await expect(page.getByTestId('diff-view')).toContainText('webhook-id');
  await page.screenshot({ path: 'docs/journey-qa.png' });
});

test('3. support pastes a customer payload, picks the scheme and secret, reads the verdict, exports it redacted', async ({ page, hookbench }) => {
  await page.goto(hookbench.ui);
  await page.getByRole('button', { name: 'Import…' }).click();
  await page
    .getByLabel('Delivery to import')
    .fill(
      `curl -X POST https://customer.example/hooks -H 'Content-Type: application/json' -H 'X-Hub-Signature-256: sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' --data-binary 'Hello, World!'`,
    );
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByTestId('delivery-row').first()).toContainText('imported');
  await page.getByTestId('delivery-row').first().click();
  await expect(page.getByTestId('verdict-outcome')).toHaveText('Not verified');
  await page.getByRole('button', { name: 'Verify with…' }).click();
  await page.getByLabel(/^Secrets/).fill("It's a Secret to Everybody");
  await page.getByRole('button', { name: 'Judge again' }).click();
  await expect(page.getByRole('region', { name: 'Trial verdict (not saved)' })).toContainText('Authentic');
  await page.screenshot({ path: 'docs/journey-support.png' });
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save redacted HAR' }).click();
  const har = readFileSync(await (await download).path(), 'utf8');
  expect(har).not.toContain('757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
});

test('hostile bodies render inert and never freeze the window: 10 MB on one line, nesting 100,000 deep', async ({ page, hookbench }) => {
  test.setTimeout(60_000);
  const big = `{"items":[${Array.from({ length: 200_000 }, (_, i) => `{"n":${i},"pad":"${'x'.repeat(30)}"}`).join(',')}]}`;
  expect(big.length).toBeGreaterThan(10_000_000);
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  expect(await hookbench.post('/e/default', big, { 'Content-Type': 'application/json' })).toBe(200);
  expect(await hookbench.post('/e/default', deep, { 'Content-Type': 'application/json' })).toBe(200);
  await page.goto(hookbench.ui);

  await page.getByTestId('delivery-row').nth(1).click();
  await expect(page.getByText(/Showing the first 256\.0 KB of 9\.8 MB/)).toBeVisible({ timeout: 10_000 });
  await page.getByTestId('delivery-row').nth(0).click();
  await page.getByRole('tab', { name: 'Pretty JSON' }).click();
  await expect(page.getByText('Cannot pretty-print: nested too deeply to pretty-print.')).toBeVisible({ timeout: 10_000 });
  // Still responsive: moving through the list answers at once.
  const started = Date.now();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('request-line')).toBeVisible();
  expect(Date.now() - started).toBeLessThan(5000);
});
