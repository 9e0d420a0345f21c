import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HeaderPair } from '../../../src/shared/model';
import { DEFAULT_VERIFICATION, type Verdict, type VerificationConfig } from '../../../src/shared/verdict';
import { judge } from '../../../src/main/engine/schemes/registry';
import { createKeyLoader } from '../../../src/main/engine/schemes/jwks';
import type { VerifyContext } from '../../../src/main/engine/schemes/types';

export function vectors<T>(name: string): T[] {
  return JSON.parse(readFileSync(join('test', 'fixtures', 'vectors', `${name}.json`), 'utf8')) as T[];
}

export function context(config: Partial<VerificationConfig>, nowSeconds: number, seen: Record<string, number> = {}): VerifyContext {
  const loader = createKeyLoader();
  return {
    config: { ...DEFAULT_VERIFICATION, ...config },
    now: nowSeconds * 1000,
    seenBefore: (key) => (key in seen ? { deliveryId: seen[key]! } : null),
    loadKeys: (source) => loader.load(source),
  };
}

export function judgeRequest(
  headers: HeaderPair[],
  body: Buffer | string,
  config: Partial<VerificationConfig>,
  nowSeconds: number,
  seen: Record<string, number> = {},
): Promise<Verdict> {
  return judge({ method: 'POST', path: '/e/test', headers, body: Buffer.from(body) }, context(config, nowSeconds, seen));
}

/** The check with this id, for precise assertions. */
export function check(verdict: Verdict, id: string) {
  const found = verdict.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check "${id}" in ${JSON.stringify(verdict.checks.map((c) => c.id))}`);
  return found;
}
