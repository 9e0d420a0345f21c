import { useState } from 'react';
import { api } from '../lib/api';
import { useStore } from '../store';

/** Paste a customer's delivery (raw HTTP, HAR or cURL) or open a file; it is judged as if it had arrived. */
export function ImportPanel({ onClose }: { onClose: () => void }) {
  const setError = useStore((s) => s.setError);
  const select = useStore((s) => s.select);
  const reload = useStore((s) => s.reload);
  const [text, setText] = useState('');
  const importText = async (value: string) => {
    try {
      const { ids } = await api().invoke('deliveries.import', { text: value });
      onClose();
      // Shown at once, whether or not the live event stream has caught up.
      await reload();
      if (ids[0] !== undefined) await select(ids[0]);
    } catch (error) {
      setError((error as Error).message);
    }
  };
  return (
    <section className="import-panel verification-form" aria-label="Import">
      <h2>Import a delivery</h2>
      <p className="muted">Paste a raw HTTP request, a cURL command or a HAR file. It is judged with its endpoint&apos;s settings, as if it had just arrived.</p>
      <textarea rows={12} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} aria-label="Delivery to import" placeholder={'POST /e/default HTTP/1.1\nContent-Type: application/json\nX-Hub-Signature-256: sha256=…\n\n{"hello":"hookbench"}'} />
      <div className="row-fields">
        <button type="button" className="primary" disabled={!text.trim()} onClick={() => void importText(text)}>
          Import
        </button>
        <label className="inline">
          or open a file <input type="file" aria-label="Import file" accept=".har,.json,.txt,.http,.sh" onChange={async (e) => e.target.files?.[0] && void importText(await e.target.files[0].text())} />
        </label>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </section>
  );
}
