/**
 * Group commit: deliveries that arrive in the same turn of the event loop are
 * written in one transaction, and each caller's promise settles only after
 * that transaction has committed. Nothing is acknowledged before it is stored.
 */
export class WriteQueue<Row, Id> {
  private pending: { row: Row; resolve: (id: Id) => void; reject: (error: unknown) => void }[] = [];
  private scheduled = false;

  constructor(private readonly writeBatch: (rows: Row[]) => Id[]) {}

  add(row: Row): Promise<Id> {
    return new Promise<Id>((resolve, reject) => {
      this.pending.push({ row, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes everything queued now. Also called on shutdown so no accepted row is dropped. */
  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    let ids: Id[];
    try {
      ids = this.writeBatch(batch.map((p) => p.row));
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => p.resolve(ids[i]!));
  }
}
