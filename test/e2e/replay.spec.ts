import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';

const SECRET = "It's a Secret to Everybody";
const SIG = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

async function endpoint(page: import('@playwright/test').Page, name: string, status401 = false) {
  await page.getByRole('button', { name: 'Endpoints' }).click();
  await page.getByLabel('New endpoint name').fill(name);
  await page.getByRole('button', { name: 'Create' }).click();
  const item = page.getByTestId('endpoint-item').filter({ hasText: `/e/${name}` });
  await item.getByRole('button', { name: 'Verification…' }).click();
  await item.getByLabel('Scheme').selectOption('hub-signature');
  await item.getByLabel(/^Secrets/).fill(SECRET);
  await item.getByRole('button', { name: 'Save verification' }).click();
  if (status401) {
    await item.getByRole('button', { name: 'WebSub & answers…' }).click();
    await item.getByLabel(/Status for a delivery that is not authentic/).fill('401');
    await item.getByRole('button', { name: 'Save answers' }).click();
  }
  await page.getByRole('button', { name: 'Close endpoints' }).click();
}

test('QA replays a delivery as captured and mutated, compares the answers, and checks replay protection', async ({ page, hookbench }) => {
  await page.goto(hookbench.ui);
  await endpoint(page, 'github');
  await endpoint(page, 'service', true);
  await hookbench.post('/e/github', 'Hello, World!', { 'X-Hub-Signature-256': SIG });
  await page.getByTestId('delivery-row').first().click();

  await page.getByLabel('Replay target').fill(`${hookbench.receiver}/e/service`);
  await page.getByRole('button', { name: 'Replay as captured' }).click();
  await expect(page.getByTestId('replay-row').first()).toContainText('HTTP 200');
  await page.getByLabel('Mutation preset').selectOption('tampered-body');
  await expect(page.getByText('one value in the body changed')).toBeVisible();
  await page.getByRole('button', { name: 'Send mutated' }).click();
  await expect(page.getByTestId('replay-row').first()).toContainText('HTTP 401');
  await expect(page.getByTestId('replay-row').first()).toContainText('as a correct receiver would');
  await page.getByTestId('replay-row').first().getByRole('button', { name: 'Compare' }).click();
  await expect(page.getByTestId('diff-view')).toContainText('differs from byte 12');

  await page.getByRole('button', { name: 'Check replay protection' }).click();
  await expect(page.getByTestId('protection-report')).toContainText('The target handled all');

  // The list filters by endpoint; the replays arrived at "service".
  await page.getByLabel('Show deliveries of').selectOption({ label: 'service' });
  await expect(page.getByTestId('delivery-row').first()).toContainText('/e/service');
});

test('support imports a customer payload, reads the verdict, and saves a redacted copy', async ({ page, hookbench }) => {
  await page.goto(hookbench.ui);
  await endpoint(page, 'github');
  await page.getByRole('button', { name: 'Import…' }).click();
  await page.getByLabel('Delivery to import').fill(`POST /e/github HTTP/1.1\nContent-Type: text/plain\nX-Hub-Signature-256: ${SIG}\n\nHello, World!`);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByTestId('delivery-row').first()).toContainText('imported');
  await page.getByTestId('delivery-row').first().click();
  await expect(page.getByTestId('verdict-outcome')).toHaveText('Authentic');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save redacted HAR' }).click();
  const file = await (await download).path();
  const har = readFileSync(file, 'utf8');
  expect(JSON.parse(har).log.entries).toHaveLength(1);
  expect(har).not.toContain('757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
  expect(har).toContain('[redacted]');
});
