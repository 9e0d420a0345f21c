/** The fields the Send and Subscriptions views share: which sender, which data scope, and the ready local URL. */
import type { DataScope, ProfileId, ProfileInfo } from '../../../shared/sender';
import { useStore } from '../store';

export function ProfileSelect({ value, onChange }: { value: ProfileId; onChange(id: ProfileId): void }) {
  const profiles = useStore((s) => s.profiles);
  return (
    <label>
      Sender
      <select value={value} onChange={(e) => onChange(e.target.value as ProfileId)}>
        {profiles.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Only shown for senders that offer a choice (EngagePlus: UUID only, or with user data). */
export function ScopeSelect({ profile, value, onChange }: { profile: ProfileInfo | undefined; value: DataScope; onChange(scope: DataScope): void }) {
  if (!profile || profile.scopes.length < 2) return null;
  return (
    <label>
      Data scope
      <select value={value} onChange={(e) => onChange(e.target.value as DataScope)}>
        {profile.scopes.map((s) => (
          <option key={s}>{s}</option>
        ))}
      </select>
    </label>
  );
}

/** The first endpoint's local URL: where a send goes when nothing else is typed. */
export function useDefaultTarget(): string {
  const info = useStore((s) => s.info);
  const endpoints = useStore((s) => s.endpoints);
  return info && endpoints[0] ? `${info.receiverUrl}/e/${endpoints[0].name}` : '';
}
