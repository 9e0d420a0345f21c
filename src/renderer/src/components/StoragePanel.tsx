import { useEffect, useState, type FormEvent } from 'react';
import type { StorageStats } from '../../../shared/model';
import { api } from '../lib/api';
import { formatBytes } from '../lib/bytes';
import { useStore } from '../store';

/** How much is stored, and the caps that keep history in bounds (oldest deliveries go first). */
export function StoragePanel({ onClose }: { onClose: () => void }) {
  const setError = useStore((s) => s.setError);
  const reload = useStore((s) => s.reload);
  const total = useStore((s) => s.total);
  const [stats, setStats] = useState<StorageStats | null>(null);
  const [count, setCount] = useState('');
  const [days, setDays] = useState('');
  const [mb, setMb] = useState('');
  useEffect(() => {
    void api()
      .invoke('storage.stats', undefined)
      .then((s) => {
        setStats(s);
        setCount(s.retention.maxCount?.toString() ?? '');
        setDays(s.retention.maxAgeDays?.toString() ?? '');
        setMb(s.retention.maxBytes ? String(Math.round(s.retention.maxBytes / 1024 / 1024)) : '');
      });
  }, [total]);
  const num = (v: string) => (v.trim() === '' ? null : Number(v));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const megabytes = num(mb);
      setStats(await api().invoke('retention.set', { maxCount: num(count), maxAgeDays: num(days), maxBytes: megabytes === null ? null : megabytes * 1024 * 1024 }));
      await reload();
    } catch (error) {
      setError((error as Error).message);
    }
  };
  return (
    <section className="verification-form storage-panel" aria-label="Storage">
      <h2>Storage</h2>
      {stats ? (
        <p data-testid="storage-stats">
          {stats.count.toLocaleString()} deliveries · {formatBytes(stats.dataBytes)} of requests and responses · database and search index files {formatBytes(stats.fileBytes)}
          {stats.oldestAt ? ` · oldest ${new Date(stats.oldestAt).toLocaleString()}` : ''}
        </p>
      ) : null}
      <form onSubmit={submit} className="row-fields">
        <label>
          Keep at most <input value={count} onChange={(e) => setCount(e.target.value)} size={9} inputMode="numeric" placeholder="no limit" aria-label="Keep at most (deliveries)" /> deliveries
        </label>
        <label>
          for <input value={days} onChange={(e) => setDays(e.target.value)} size={5} inputMode="numeric" placeholder="ever" aria-label="Keep for (days)" /> days
        </label>
        <label>
          up to <input value={mb} onChange={(e) => setMb(e.target.value)} size={6} inputMode="numeric" placeholder="no limit" aria-label="Keep up to (MB)" /> MB
        </label>
        <button type="submit">Apply</button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </form>
      <p className="muted">Empty means no limit. Applying deletes the oldest deliveries beyond a limit at once, and then every minute.</p>
    </section>
  );
}
