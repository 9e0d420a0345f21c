/**
 * Run as its own process by tunnel.test.ts: opening a tunnel to a server that
 * does not answer must fail within the deadline and leave nothing behind, so
 * this process exits by itself (no process.exit here).
 */
import { createTunnel } from '../../../src/main/engine/tunnel/tunnel';
import { systemClock } from '../../../src/main/engine/clock';

const started = Date.now();
const tunnel = createTunnel({
  host: process.argv[2]!,
  subdomain: null,
  localPort: 9,
  deadlineMs: Number(process.argv[3] ?? 1500),
  clock: systemClock,
  onState: () => {},
});
void tunnel.start().then((state) => {
  process.stdout.write(JSON.stringify({ status: state.status, reason: state.reason, ms: Date.now() - started }) + '\n');
});
