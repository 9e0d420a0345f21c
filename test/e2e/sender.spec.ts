import { mkdirSync } from 'node:fs';
import { expect, test } from './fixtures';

test('a developer sends an EngagePlus SET to the ready endpoint and sees it arrive verified', async ({ page, hookbench }) => {
  await page.goto(hookbench.ui);
  await page.getByRole('tab', { name: 'Send' }).click();
  await expect(page.getByRole('combobox', { name: /^Sender/ })).toHaveValue('engageplus');
  await expect(page.getByTestId('signing-key')).toHaveText('No key for this issuer yet: Send generates one.');
  await page.getByRole('button', { name: 'Generate a key' }).click();
  await expect(page.getByTestId('signing-key')).toContainText(`public key at ${hookbench.receiver}/.well-known/jwks.json`);
  await expect(page.getByLabel('Payload')).toHaveValue(/"iss": "https:\/\/engageplus.id"/);
  await page.getByLabel('Data scope').selectOption('INCLUDE_USER_DATA');
  await expect(page.getByLabel('Payload')).toHaveValue(/"email_verified": true/);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByTestId('outbound-row').first()).toContainText('delivered');
  await expect(page.getByTestId('attempt-row')).toHaveCount(1);
  await expect(page.getByTestId('attempt-row').first()).toContainText('HTTP 200');
  mkdirSync('docs', { recursive: true });
  await page.screenshot({ path: 'docs/send.png' });

  await page.getByRole('tab', { name: 'Inspect' }).click();
  await page.getByTestId('delivery-row').first().click();
  await expect(page.getByTestId('verdict-outcome')).toHaveText('Authentic');
  await expect(page.getByTestId('jwt-key')).toContainText("from Hookbench's own keys");
});

test('at first start Send works with no key: it generates one for the issuer and the receiver verifies with it', async ({ page, hookbench }) => {
  await page.goto(hookbench.ui);
  await page.getByRole('tab', { name: 'Send' }).click();
  await expect(page.getByTestId('signing-key')).toHaveText('No key for this issuer yet: Send generates one.');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByTestId('signing-key')).toContainText('Signs with hb-');
  await expect(page.getByTestId('outbound-row').first()).toContainText('delivered');
  await page.getByRole('tab', { name: 'Inspect' }).click();
  await page.getByTestId('delivery-row').first().click();
  await expect(page.getByTestId('verdict-outcome')).toHaveText('Authentic');
});

test('QA watches a retry schedule: a failing target, compressed time, every attempt on the timeline', async ({ page, hookbench }) => {
  await page.goto(hookbench.ui);
  await page.getByRole('tab', { name: 'Send' }).click();
  await page.getByRole('combobox', { name: /^Sender/ }).selectOption('envoyou');
  await page.getByLabel('Send to').fill('http://127.0.0.1:9/nothing-listens-here');
  await page.getByLabel('Signing secret').fill('whsec_your_webhook_secret_key');
  await page.getByLabel('Retries').selectOption('envoyou');
  await page.getByLabel('Clock').selectOption('60');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByTestId('outbound-row').first()).toContainText('failed', { timeout: 10_000 });
  await expect(page.getByTestId('attempt-row')).toHaveCount(5);
  await expect(page.getByTestId('attempt-row').last()).toContainText('+15 s');
  await expect(page.getByTestId('attempt-row').last()).toContainText('ECONNREFUSED');
});

test('subscriptions: the secret is shown once, events are delivered and logged; keys rotate', async ({ page, hookbench }) => {
  await page.goto(hookbench.ui);
  await page.getByRole('tab', { name: 'Subscriptions' }).click();
  await page.getByRole('combobox', { name: /^Sender/ }).selectOption('asgardeo');
  await page.getByLabel('loginSuccess').check();
  await page.getByRole('button', { name: 'Create subscription' }).click();
  await expect(page.getByTestId('new-secret')).toHaveText(/^whsec_/);
  await page.getByRole('button', { name: 'I saved it' }).click();
  await expect(page.getByTestId('new-secret')).toHaveCount(0);
  const item = page.getByTestId('subscription-item').first();
  // Asgardeo delivers only once its WebSub topic is verified.
  await expect(item.getByTestId('hub-topics').locator('tr[data-state="verified"]')).toHaveCount(1);
  await item.getByRole('button', { name: 'Send loginSuccess' }).click();
  await item.getByRole('button', { name: 'Delivery logs' }).click();
  await expect(item.getByTestId('log-row').first()).toContainText('delivered');
  await item.getByLabel(/Status of/).selectOption('PAUSED');
  await expect(item.getByRole('button', { name: 'Send loginSuccess' })).toBeDisabled();

  await page.getByRole('tab', { name: 'Keys' }).click();
  await expect(page.getByTestId('jwks-url')).toHaveText(`${hookbench.receiver}/.well-known/jwks.json`);
  await page.getByRole('button', { name: 'Generate key' }).click();
  await expect(page.getByTestId('key-row')).toHaveCount(1);
  await page.getByRole('button', { name: 'Rotate' }).click();
  await expect(page.getByTestId('key-row')).toHaveCount(2);
  await expect(page.getByTestId('key-row').first()).toContainText('published');
  await page.getByRole('button', { name: 'Retire' }).click();
  await expect(page.getByTestId('key-row').first()).toContainText('retired');
  const jwks = (await (await fetch(`${hookbench.receiver}/.well-known/jwks.json`)).json()) as { keys: unknown[] };
  expect(jwks.keys).toHaveLength(1);
});

test('WebSub: an Asgardeo subscription verifies its topics against the ready endpoint; a refusing endpoint shows why', async ({ page, hookbench }) => {
  await page.goto(hookbench.ui);
  await page.getByRole('tab', { name: 'Subscriptions' }).click();
  await page.getByRole('combobox', { name: /^Sender/ }).selectOption('asgardeo');
  await page.getByLabel('loginSuccess').check();
  await page.getByLabel('sessionCreated').check();
  await page.getByRole('button', { name: 'Create subscription' }).click();
  const item = page.getByTestId('subscription-item').first();
  await expect(item.getByTestId('hub-topics').locator('tr[data-state="verified"]')).toHaveCount(2);

  await page.getByRole('tab', { name: 'Inspect' }).click();
  await expect(page.getByTestId('delivery-row').filter({ hasText: 'WebSub verification' })).toHaveCount(2);
  await page.getByTestId('delivery-row').first().click();
  await expect(page.getByTestId('verification-note')).toContainText('hub.mode=subscribe');

  // Now the endpoint refuses: resending the verification fails with the reason.
  await page.getByRole('button', { name: 'Endpoints' }).click();
  await page.getByRole('button', { name: 'WebSub & answers…' }).click();
  await page.getByLabel('Verification answer').selectOption('refuse');
  await page.getByRole('button', { name: 'Save answers' }).click();
  await page.getByRole('button', { name: 'Close endpoints' }).click();
  await page.getByRole('tab', { name: 'Subscriptions' }).click();
  await item.getByRole('button', { name: 'Resend verification' }).first().click();
  await expect(item.getByTestId('hub-topics').locator('tr[data-state="failed"]')).toContainText('answered 404; a 2xx with the challenge is needed');
});
