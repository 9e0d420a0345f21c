/**
 * JSON as Python's `json.dumps(data, separators=(',', ':'), sort_keys=True)`
 * writes it, the "canonical JSON" of the EnvoyOU Python sample (seed 003):
 * keys sorted by code point, no spaces, non-ASCII escaped as \uXXXX.
 * Limits: a float such as 1.0 reads back as 1 in JavaScript, and integers past
 * 2^53 lose precision, so a body holding those cannot be reproduced exactly.
 */

function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; ) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca - cb;
    i += ca > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

function pyString(s: string): string {
  return JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export interface PythonJsonOptions {
  sortKeys: boolean;
  /** Python's `separators`: (',', ':') compact, or its default (', ', ': '). */
  itemSeparator: string;
  keySeparator: string;
}

function write(value: unknown, o: PythonJsonOptions): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'string':
      return pyString(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => write(v, o)).join(o.itemSeparator)}]`;
      const keys = Object.keys(value);
      if (o.sortKeys) keys.sort(compareCodePoints);
      return `{${keys.map((k) => `${pyString(k)}${o.keySeparator}${write((value as Record<string, unknown>)[k], o)}`).join(o.itemSeparator)}}`;
    }
    default:
      return 'null';
  }
}

/** JSON as Python's json.dumps writes it with these options (ensure_ascii on). Throws RangeError when nested too deeply. */
export function pythonJson(value: unknown, options: PythonJsonOptions): string {
  return write(value, options);
}

/** Canonical JSON of a parsed value. Throws RangeError when nested too deeply to walk. */
export function canonicalJson(value: unknown): string {
  return write(value, { sortKeys: true, itemSeparator: ',', keySeparator: ':' });
}

/** Parses UTF-8 JSON bytes; undefined when they are not JSON. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
