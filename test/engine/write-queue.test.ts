import { describe, expect, it } from 'vitest';
import { WriteQueue } from '../../src/main/engine/store/write-queue';

describe('WriteQueue (group commit)', () => {
  it('writes rows added in the same turn as one batch and settles each with its own id', async () => {
    const batches: string[][] = [];
    let next = 1;
    const queue = new WriteQueue<string, number>((rows) => {
      batches.push(rows);
      return rows.map(() => next++);
    });
    const ids = await Promise.all(['a', 'b', 'c'].map((r) => queue.add(r)));
    expect(ids).toEqual([1, 2, 3]);
    expect(batches).toEqual([['a', 'b', 'c']]);
    expect(await queue.add('d')).toBe(4);
    expect(batches).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('rejects every row of a batch the store refused, and keeps working afterwards', async () => {
    let fail = true;
    const queue = new WriteQueue<string, number>((rows) => {
      if (fail) throw new Error('disk full');
      return rows.map((_, i) => i);
    });
    const results = await Promise.allSettled([queue.add('a'), queue.add('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await queue.add('c')).toBe(0);
  });
});
