/**
 * Group commit: deliveries that arrive in the same turn of the event loop are
 * written in one batch, and each caller's promise settles only after that
 * batch has committed. Nothing is acknowledged before it is stored. The batch
 * writer may be synchronous (a transaction on this thread) or asynchronous
 * (a message to the writer's thread and its answer).
 */
export class WriteQueue<Row, Id> {
  private pending: { row: Row; resolve: (id: Id) => void; reject: (error: unknown) => void }[] = [];
  private scheduled = false;

  constructor(private readonly writeBatch: (rows: Row[]) => Id[] | Promise<Id[]>) {}

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
    const rejectAll = (error: unknown) => batch.forEach((p) => p.reject(error));
    let written: Id[] | Promise<Id[]>;
    try {
      written = this.writeBatch(batch.map((p) => p.row));
    } catch (error) {
      return rejectAll(error);
    }
    Promise.resolve(written).then((ids) => batch.forEach((p, i) => p.resolve(ids[i]!)), rejectAll);
  }
}
