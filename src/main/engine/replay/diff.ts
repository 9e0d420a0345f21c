/** Compares two requests: headers, JSON bodies structurally, decoded JWT claims, and the signed bytes. */
import type { ChangeKind, DiffResult, HeaderPair } from '../../../shared/model';
import type { Verdict } from '../../../shared/verdict';
import { firstDifference } from '../schemes/checks';
import { getHeader } from './headers';
import { decodeJwt } from './resign';

export interface DiffSide {
  headers: HeaderPair[];
  body: Buffer;
  verdict: Verdict | null;
}

type Row = { path: string; a: string | null; b: string | null; change: ChangeKind };

/** path -> JSON of each leaf, walked without recursion so deep nesting cannot overflow the stack. */
function flatten(value: unknown, limit = 20_000): Map<string, string> {
  const out = new Map<string, string>();
  const stack: [string, unknown][] = [['$', value]];
  while (stack.length > 0 && out.size < limit) {
    const [path, v] = stack.pop()!;
    if (v !== null && typeof v === 'object') {
      const entries = Array.isArray(v) ? v.map((x, i) => [`${path}[${i}]`, x] as [string, unknown]) : Object.entries(v).map(([k, x]) => [`${path}.${k}`, x] as [string, unknown]);
      if (entries.length === 0) out.set(path, Array.isArray(v) ? '[]' : '{}');
      for (let i = entries.length - 1; i >= 0; i--) stack.push(entries[i]!);
    } else {
      out.set(path, JSON.stringify(v) ?? 'undefined');
    }
  }
  return out;
}

function compareMaps(a: Map<string, string>, b: Map<string, string>): Row[] {
  const rows: Row[] = [];
  for (const [path, av] of a) {
    const bv = b.get(path);
    rows.push({ path, a: av, b: bv ?? null, change: bv === undefined ? 'removed' : bv === av ? 'same' : 'changed' });
  }
  for (const [path, bv] of b) if (!a.has(path)) rows.push({ path, a: null, b: bv, change: 'added' });
  return rows;
}

function parse(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function claimsOf(side: DiffSide): Record<string, unknown> | null {
  const token = side.body.toString('utf8').trim() || getHeader(side.headers, 'X-EngagePlus-Signature') || '';
  return token.split('.').length === 3 ? (decodeJwt(token)?.claims ?? null) : null;
}

export function diffRequests(a: DiffSide, b: DiffSide): DiffResult {
  const joined = (headers: HeaderPair[]) => {
    const m = new Map<string, string>();
    for (const [k, v] of headers) {
      const key = k.toLowerCase();
      m.set(key, m.has(key) ? `${m.get(key)}, ${v}` : v);
    }
    return m;
  };
  const headers = compareMaps(joined(a.headers), joined(b.headers)).map((r) => ({ name: r.path, a: r.a, b: r.b, change: r.change }));
  const ja = parse(a.body);
  const jb = parse(b.body);
  const body: DiffResult['body'] =
    ja !== undefined && jb !== undefined
      ? { kind: 'json', changes: compareMaps(flatten(ja), flatten(jb)) }
      : { kind: 'bytes', equal: a.body.equals(b.body), firstDifference: a.body.equals(b.body) ? -1 : firstByteDifference(a.body, b.body), aLength: a.body.length, bLength: b.body.length };
  const ca = claimsOf(a);
  const cb = claimsOf(b);
  const sa = a.verdict?.signed[0]?.base64 ?? null;
  const sb = b.verdict?.signed[0]?.base64 ?? null;
  return {
    headers,
    body,
    claims: ca && cb ? compareMaps(flatten(ca), flatten(cb)) : null,
    signed: {
      a: sa,
      b: sb,
      firstDifference: sa && sb ? firstDifference(Buffer.from(sa, 'base64').toString('latin1'), Buffer.from(sb, 'base64').toString('latin1')) : -1,
    },
  };
}

function firstByteDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}
