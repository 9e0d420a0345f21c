import { useState } from 'react';
import { api } from '../lib/api';
import { useStore } from '../store';

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Copy as cURL (exact bytes), or save a HAR, whole or redacted for a support ticket. */
export function ExportButtons({ id }: { id: number }) {
  const setError = useStore((s) => s.setError);
  const [copied, setCopied] = useState(false);
  const exportAs = (format: 'har' | 'curl', redact = false) => api().invoke('deliveries.export', { ids: [id], format, redact });
  const fail = (error: Error) => setError(error.message);
  return (
    <div className="row-fields export-buttons">
      <button
        type="button"
        onClick={() =>
          void exportAs('curl')
            .then(({ text }) => navigator.clipboard.writeText(text))
            .then(() => {
              setCopied(true);
              setTimeout(() => setCopied(false), 1500);
            })
            .catch(fail)
        }
      >
        {copied ? 'Copied' : 'Copy as cURL'}
      </button>
      <button type="button" onClick={() => void exportAs('har').then(({ text }) => download(`delivery-${id}.har`, text)).catch(fail)}>
        Save HAR
      </button>
      <button type="button" onClick={() => void exportAs('har', true).then(({ text }) => download(`delivery-${id}-redacted.har`, text)).catch(fail)}>
        Save redacted HAR
      </button>
    </div>
  );
}
