/** Shared by the benchmark scripts: a time-boxed loop and a Markdown table. */
import { cpus, totalmem } from 'node:os';

/** Runs `work` repeatedly for about `ms` milliseconds; returns operations per second. */
export async function opsPerSecond(work: () => unknown | Promise<unknown>, ms = 1000): Promise<number> {
  for (let i = 0; i < 50; i++) await work(); // warm up
  let count = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 20; i++) await work();
    count += 20;
    now = process.hrtime.bigint();
  }
  return count / (Number(now - start) / 1e9);
}

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? Math.round(c).toLocaleString('en-US') : c)));
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...cells.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}
