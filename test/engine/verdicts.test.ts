import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/main/engine';
import { fixedClock } from '../../src/main/engine/clock';
import { signStandardWebhooks } from '../../src/main/engine/schemes/standard-webhooks';
import { send, tempDir } from '../helpers';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const T = 1_761_638_400;

describe('verdicts at capture (real engine, real HTTP, real SQLite)', () => {
  let dir: ReturnType<typeof tempDir>;
  let engine: Engine;
  const clock = fixedClock(T * 1000);

  beforeEach(async () => {
    dir = tempDir();
    engine = await createEngine({ dataDir: dir.path, receiverPort: 0, clock });
    await engine.call('endpoints.create', { name: 'voyado', verification: { scheme: 'standard-webhooks', secrets: [SECRET] } });
  });
  afterEach(async () => {
    await engine.close();
    dir.remove();
  });

  const deliver = async (id: string, body = '{"type":"contact.created"}') => {
    const signed = signStandardWebhooks({ body: Buffer.from(body), secret: SECRET, id, timestamp: T });
    await send(`${engine.receiverUrl}/e/voyado`, { headers: Object.fromEntries(signed.headers), body });
    const [latest] = (await engine.call('deliveries.list', {})).items;
    return engine.call('deliveries.get', { id: latest!.id });
  };

  it('stores the verdict with the delivery and shows it in the list', async () => {
    const detail = await deliver('msg_1');
    expect(detail.verdict).toMatchObject({ scheme: 'standard-webhooks', detected: false, outcome: 'authentic', judgedAt: T * 1000 });
    const [summary] = (await engine.call('deliveries.list', {})).items;
    expect(summary).toMatchObject({ verdictOutcome: 'authentic', scheme: 'standard-webhooks' });
  });

  it('recognises a duplicate message id from an earlier delivery', async () => {
    const first = await deliver('msg_dup');
    const second = await deliver('msg_dup');
    expect(first.verdict!.checks.find((c) => c.id === 'replay')!.status).toBe('pass');
    expect(second.verdict!.checks.find((c) => c.id === 'replay')!.reason).toBe(
      `message id msg_dup already arrived in delivery #${first.id}: a retry or a replay; process it once`,
    );
    // Judged again later, the first one still counts as first.
    const again = await engine.call('deliveries.verify', { id: first.id });
    expect(again.checks.find((c) => c.id === 'replay')!.status).toBe('pass');
  });

  it('recomputes with another secret, clock time or tolerance without changing what is stored', async () => {
    const detail = await deliver('msg_2');
    const wrong = await engine.call('deliveries.verify', { id: detail.id, config: { secrets: ['whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'] } });
    expect(wrong.outcome).toBe('not-authentic');
    const later = await engine.call('deliveries.verify', { id: detail.id, at: (T + 3600) * 1000 });
    expect(later.checks.find((c) => c.id === 'timestamp')!.status).toBe('fail');
    const lenient = await engine.call('deliveries.verify', { id: detail.id, at: (T + 3600) * 1000, config: { toleranceSeconds: 7200 } });
    expect(lenient.outcome).toBe('authentic');
    expect((await engine.call('deliveries.get', { id: detail.id })).verdict!.outcome).toBe('authentic');
    await expect(engine.call('deliveries.verify', { id: detail.id, config: { scheme: 'bogus' as never } })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it('detects the scheme on an endpoint set to auto, and says a secret is missing', async () => {
    const signed = signStandardWebhooks({ body: Buffer.from('{}'), secret: SECRET, id: 'msg_auto', timestamp: T });
    await send(`${engine.receiverUrl}/e/elsewhere`, { headers: Object.fromEntries(signed.headers), body: '{}' });
    const [latest] = (await engine.call('deliveries.list', {})).items;
    const detail = await engine.call('deliveries.get', { id: latest!.id });
    expect(detail.verdict).toMatchObject({ scheme: 'standard-webhooks', detected: true, outcome: 'unverified' });
    expect(detail.verdict!.checks.find((c) => c.id === 'signature')!.reason).toMatch(/no secret is set/);
  });
});
