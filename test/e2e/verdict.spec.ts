import * as jose from 'jose';
import { mkdirSync } from 'node:fs';
import { expect, test } from './fixtures';

const GITHUB_SECRET = "It's a Secret to Everybody";
const GITHUB_SIG = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

test('an endpoint with a secret judges each delivery, and "Verify with…" tries another secret', async ({ page, hookbench }) => {
  await page.goto(hookbench.ui);
  await page.getByRole('button', { name: 'Endpoints' }).click();
  await page.getByLabel('New endpoint name').fill('github');
  await page.getByRole('button', { name: 'Create' }).click();
  const item = page.getByTestId('endpoint-item').filter({ hasText: 'github' });
  await item.getByRole('button', { name: 'Verification…' }).click();
  await item.getByLabel('Scheme').selectOption('hub-signature');
  await item.getByLabel(/^Secrets/).fill(GITHUB_SECRET);
  await item.getByRole('button', { name: 'Save verification' }).click();
  await expect(item).toContainText('judged as hub-signature, secret set');
  await page.getByRole('button', { name: 'Close endpoints' }).click();

  await hookbench.post('/e/github', 'Hello, World!', { 'X-Hub-Signature-256': GITHUB_SIG });
  await hookbench.post('/e/github', 'Hello, World?', { 'X-Hub-Signature-256': GITHUB_SIG });
  const rows = page.getByTestId('delivery-row');
  await expect(rows.nth(1).getByTestId('verdict-badge')).toHaveText('Authentic');
  await expect(rows.nth(0).getByTestId('verdict-badge')).toHaveText('Not authentic');

  await rows.nth(1).click();
  await expect(page.getByTestId('verdict-outcome')).toHaveText('Authentic');
  await expect(page.getByTestId('signed-content')).toHaveText('Hello, World!');
  await expect(page.locator('[data-check="signature"]')).toContainText('every signature header present');

  await rows.nth(0).click();
  await expect(page.getByTestId('verdict-outcome')).toHaveText('Not authentic');
  await expect(page.locator('[data-check="hmac-x-hub-signature-256"]')).toContainText('different secret, or over different bytes');
  await expect(page.getByTestId('sig-received').locator('mark')).toBeVisible();

  await rows.nth(1).click();
  await page.getByRole('button', { name: 'Verify with…' }).click();
  await page.getByLabel(/^Secrets/).fill('not the secret');
  await page.getByRole('button', { name: 'Judge again' }).click();
  await expect(page.getByRole('region', { name: 'Trial verdict (not saved)' })).toContainText('Not authentic');
  await page.getByRole('button', { name: 'Back to the verdict at capture' }).click();
  await expect(page.getByTestId('verdict-outcome')).toHaveText('Authentic');
});

test('a SET is decoded: header, claims with human times, and the key that verified it', async ({ page, hookbench }) => {
  const pair = await jose.generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await jose.exportJWK(pair.publicKey)), kid: 'abc123', alg: 'RS256' };
  const now = Math.floor(Date.now() / 1000);
  const token = await new jose.SignJWT({
    sub: '103425823847234892347',
    events: { 'https://engageplus.id/events/auth_success': { organizationId: 'org_abc123', provider: { id: 'provider_xyz789', type: 'GOOGLE' }, timestamp: now } },
    iss: 'https://engageplus.id',
    iat: now,
    jti: 'unique-event-id-abc123',
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'secevent+jwt', kid: 'abc123' })
    .sign(pair.privateKey);

  await page.goto(hookbench.ui);
  await page.getByRole('button', { name: 'Endpoints' }).click();
  await page.getByLabel('New endpoint name').fill('engageplus');
  await page.getByRole('button', { name: 'Create' }).click();
  const item = page.getByTestId('endpoint-item').filter({ hasText: 'engageplus' });
  await item.getByRole('button', { name: 'Verification…' }).click();
  await item.getByLabel('Scheme').selectOption('set-jwt');
  await item.getByLabel(/^Key set/).fill(JSON.stringify({ keys: [publicJwk] }));
  await item.getByLabel('Issuer').fill('https://engageplus.id');
  await item.getByRole('button', { name: 'Save verification' }).click();
  await page.getByRole('button', { name: 'Close endpoints' }).click();

  await hookbench.post('/e/engageplus', token, {
    'Content-Type': 'application/secevent+jwt',
    'User-Agent': 'EngagePlus-Webhooks/1.0',
    'X-EngagePlus-Event': 'AUTH_SUCCESS',
    'X-EngagePlus-Signature': token,
  });
  await page.getByTestId('delivery-row').first().click();
  await expect(page.getByTestId('verdict-outcome')).toHaveText('Authentic');
  await expect(page.getByTestId('jwt-header')).toContainText('"kid": "abc123"');
  await expect(page.getByTestId('jwt-claims')).toContainText('"jti": "unique-event-id-abc123"');
  await expect(page.getByTestId('jwt-times')).toContainText(new Date(now * 1000).toISOString());
  await expect(page.getByTestId('jwt-key')).toHaveText('Verified with key abc123 (RS256) from the pasted key set.');
  mkdirSync('docs', { recursive: true });
  await page.screenshot({ path: 'docs/verdict-set.png', fullPage: true });
});
