import type { Outbound } from '../../../shared/sender';
import { plannedOffsets } from '../../../shared/sender';

function seconds(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** Attempts on the policy's schedule: made ones filled and coloured by outcome, planned ones hollow. */
export function Timeline({ outbound }: { outbound: Outbound }) {
  const planned = plannedOffsets(outbound.policy);
  const made = outbound.attempts;
  const end = Math.max(1, ...planned, ...made.map((a) => a.plannedOffsetMs));
  const x = (ms: number) => 20 + (Math.sqrt(ms / end) * 560);
  const remaining = outbound.status === 'pending' ? planned.slice(made.length) : [];
  return (
    <div className="timeline" data-testid="timeline">
      <svg viewBox="0 0 600 56" role="img" aria-label={`Timeline of ${made.length} attempt(s)`}>
        <line x1="20" y1="26" x2="580" y2="26" className="axis" />
        {remaining.map((ms, i) => (
          <circle key={`p${i}`} cx={x(ms)} cy="26" r="6" className="planned">
            <title>{`attempt ${made.length + i + 1} planned at +${seconds(ms)}`}</title>
          </circle>
        ))}
        {made.map((a) => (
          <g key={a.number}>
            <circle cx={x(a.plannedOffsetMs)} cy="26" r="7" className={`dot dot-${a.outcome}`}>
              <title>{`attempt ${a.number} at +${seconds(a.plannedOffsetMs)}: ${a.status ?? a.error}`}</title>
            </circle>
            <text x={x(a.plannedOffsetMs)} y="50" textAnchor="middle">
              +{seconds(a.plannedOffsetMs)}
            </text>
          </g>
        ))}
      </svg>
      <table className="headers attempts">
        <thead>
          <tr>
            <th>#</th>
            <th>On schedule</th>
            <th>Made at</th>
            <th>Answer</th>
            <th>Time</th>
            <th>Outcome</th>
          </tr>
        </thead>
        <tbody>
          {made.map((a) => (
            <tr key={a.number} data-testid="attempt-row">
              <td>{a.number}</td>
              <td>+{seconds(a.plannedOffsetMs)}</td>
              <td>{new Date(a.startedAt).toLocaleTimeString()}</td>
              <td title={a.responseBody}>{a.status !== null ? `HTTP ${a.status}` : a.error}</td>
              <td>{a.durationMs} ms</td>
              <td className={`outcome-${a.outcome}`}>{a.outcome}</td>
            </tr>
          ))}
          {remaining.map((ms, i) => (
            <tr key={`r${i}`} className="muted">
              <td>{made.length + i + 1}</td>
              <td>+{seconds(ms)}</td>
              <td colSpan={4}>planned{outbound.timeScale !== 1 ? ` (time ×${outbound.timeScale})` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
