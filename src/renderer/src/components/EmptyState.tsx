import { CopyButton } from './CopyButton';

/** First-start screen: the URL to send to, and a ready curl line. */
export function EmptyState({ url }: { url: string }) {
  const curl = `curl -X POST ${url} -H 'Content-Type: application/json' -d '{"hello":"hookbench"}'`;
  return (
    <section className="empty" aria-label="Waiting for deliveries">
      <h2>Waiting for the first delivery</h2>
      <p>Point your webhook sender at this URL. Every request is stored byte-exact and shows up here at once.</p>
      <div className="url-row">
        <code data-testid="endpoint-url">{url}</code>
        <CopyButton text={url} label="Copy URL" />
      </div>
      <p>Or try it from a terminal:</p>
      <div className="url-row">
        <code data-testid="curl-line">{curl}</code>
        <CopyButton text={curl} label="Copy curl" />
      </div>
    </section>
  );
}
