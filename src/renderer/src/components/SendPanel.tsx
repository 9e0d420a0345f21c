import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { DataScope, PolicyName, ProfileId } from '../../../shared/sender';
import { api } from '../lib/api';
import { useStore } from '../store';
import { OutboundList } from './OutboundList';
import { ProfileSelect, ScopeSelect, useDefaultTarget } from './SenderFields';

const SCALES = [
  { value: 1, label: 'real time' },
  { value: 60, label: '1 min per second' },
  { value: 3600, label: '1 hour per second' },
  { value: 86400, label: '1 day per second' },
];

/** Act as the identity provider: pick a sender, edit the payload, send with its retry schedule. */
export function SendPanel() {
  const info = useStore((s) => s.info);
  const profiles = useStore((s) => s.profiles);
  const policies = useStore((s) => s.policies);
  const keys = useStore((s) => s.keys);
  const setError = useStore((s) => s.setError);
  const selectOutbound = useStore((s) => s.selectOutbound);
  const [profileId, setProfileId] = useState<ProfileId>('engageplus');
  const profile = profiles.find((p) => p.id === profileId);
  const [event, setEvent] = useState('');
  const [scope, setScope] = useState<DataScope>('UUID_ONLY');
  const defaultTarget = useDefaultTarget();
  const [target, setTarget] = useState('');
  const [secret, setSecret] = useState('');
  const [issuer, setIssuer] = useState('');
  const [policy, setPolicy] = useState<string>('');
  const [scale, setScale] = useState(1);
  const [payload, setPayload] = useState('');

  const effectiveIssuer = issuer || profile?.defaultIssuer || '';
  const activeKey = useMemo(() => keys.find((k) => k.issuer === effectiveIssuer && k.status === 'active'), [keys, effectiveIssuer]);

  const newSample = async (p = profileId, e = event, s = scope) => {
    try {
      setPayload((await api().invoke('send.preview', { profile: p, event: e || undefined, dataScope: s })).payload);
    } catch (error) {
      setError((error as Error).message);
    }
  };

  useEffect(() => {
    if (!profile) return;
    const firstEvent = profile.events[0]!;
    const firstScope = profile.scopes[0]!;
    setEvent(firstEvent);
    setScope(firstScope);
    void newSample(profile.id, firstEvent, firstScope);
  }, [profileId, profiles.length]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      // At first start there is no key yet: sending makes one, as the note says.
      if (profile?.credential === 'key' && !activeKey) await api().invoke('keys.generate', { issuer: effectiveIssuer });
      const sent = await api().invoke('send.deliver', {
        profile: profileId,
        targetUrl: target || defaultTarget,
        event,
        dataScope: scope,
        payload,
        secret: profile?.credential === 'secret' ? secret : undefined,
        issuer: profile?.credential === 'key' ? effectiveIssuer : undefined,
        policy: (policy || undefined) as PolicyName | undefined,
        timeScale: scale,
      });
      selectOutbound(sent.id);
    } catch (error) {
      setError((error as Error).message);
    }
  };

  if (!profile) return <p className="muted">Loading senders…</p>;
  return (
    <div className="send-panel">
      <form className="send-form" onSubmit={submit} aria-label="Send an event">
        <h2>Send as a real sender</h2>
        <div className="row-fields">
          <ProfileSelect value={profileId} onChange={setProfileId} />
          <label>
            Event
            <select
              value={event}
              onChange={(e) => {
                setEvent(e.target.value);
                void newSample(profileId, e.target.value, scope);
              }}
            >
              {profile.events.map((ev) => (
                <option key={ev}>{ev}</option>
              ))}
            </select>
          </label>
          <ScopeSelect
            profile={profile}
            value={scope}
            onChange={(next) => {
              setScope(next);
              void newSample(profileId, event, next);
            }}
          />
        </div>
        <label>
          Send to
          <input value={target} onChange={(e) => setTarget(e.target.value)} placeholder={defaultTarget || 'http://localhost:3000/webhooks'} />
        </label>
        {profile.credential === 'secret' ? (
          <label>
            Signing secret
            <input value={secret} onChange={(e) => setSecret(e.target.value)} placeholder={profile.scheme === 'standard-webhooks' ? 'whsec_…' : 'the secret your receiver checks'} required />
          </label>
        ) : (
          <div className="row-fields">
            <label>
              Issuer (iss)
              <input value={issuer} onChange={(e) => setIssuer(e.target.value)} placeholder={profile.defaultIssuer ?? ''} />
            </label>
            <span className={activeKey ? 'muted' : 'note'} data-testid="signing-key">
              {activeKey ? `Signs with ${activeKey.kid} (${activeKey.alg}); public key at ${info?.jwksUrl}` : 'No key for this issuer yet: Send generates one.'}
            </span>
            {!activeKey ? (
              <button
                type="button"
                onClick={async () => {
                  try {
                    await api().invoke('keys.generate', { issuer: effectiveIssuer });
                  } catch (error) {
                    setError((error as Error).message);
                  }
                }}
              >
                Generate a key
              </button>
            ) : null}
          </div>
        )}
        <div className="row-fields">
          <label>
            Retries
            <select value={policy} onChange={(e) => setPolicy(e.target.value)}>
              <option value="">the sender's own schedule</option>
              {policies.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name} ({p.maxAttempts} attempt{p.maxAttempts === 1 ? '' : 's'})
                </option>
              ))}
            </select>
          </label>
          <label>
            Clock
            <select value={scale} onChange={(e) => setScale(Number(e.target.value))}>
              {SCALES.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label>
          Payload <span className="muted">(JSON; signed as the sender signs it)</span>
          <textarea rows={12} value={payload} onChange={(e) => setPayload(e.target.value)} spellCheck={false} aria-label="Payload" />
        </label>
        <div className="row-fields">
          <button type="button" onClick={() => void newSample()}>
            New sample data
          </button>
          <button type="submit" className="primary">
            Send
          </button>
        </div>
      </form>
      <OutboundList />
    </div>
  );
}
