/** Webhook subscriptions as seed 000's management API has them; the signing secret is sealed and shown once. */
import { randomBytes } from 'node:crypto';
import type {
  CreateSubscriptionInput,
  DataScope,
  ProfileId,
  RetryPolicy,
  Subscription,
  SubscriptionStatus,
  UpdateSubscriptionInput,
} from '../../../shared/sender';
import { EngineError } from '../errors';
import type { Db } from '../store/database';
import { resolvePolicy } from './policies';
import { getProfile } from './profiles';
import { newId } from './sample-data';
import { sealTagged, type Sealer } from './sealer';

interface Row {
  id: string;
  name: string;
  profile: ProfileId;
  endpoint_url: string;
  events_json: string;
  data_scope: DataScope;
  status: SubscriptionStatus;
  issuer: string | null;
  secret_sealed: Buffer | null;
  policy_json: string;
  created_at: number;
  disabled_reason: string | null;
}

const STATUSES: SubscriptionStatus[] = ['ACTIVE', 'PAUSED', 'DISABLED'];
const SCOPES: DataScope[] = ['UUID_ONLY', 'INCLUDE_USER_DATA'];

function toSubscription(row: Row): Subscription {
  return {
    id: row.id,
    name: row.name,
    profile: row.profile,
    endpointUrl: row.endpoint_url,
    events: JSON.parse(row.events_json) as string[],
    dataScope: row.data_scope,
    status: row.status,
    issuer: row.issuer,
    policy: JSON.parse(row.policy_json) as RetryPolicy,
    createdAt: row.created_at,
    disabledReason: row.disabled_reason,
  };
}

/** Instance-metadata services (AWS, GCP, Azure, Alibaba, Oracle): a replay or webhook must never reach them. */
export function isCloudMetadata(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    /^169\.254\.\d+\.\d+$/.test(host) ||
    host === 'metadata.google.internal' ||
    host === 'metadata' ||
    host === '100.100.100.200' ||
    host === 'fd00:ec2::254' ||
    host.startsWith('fe80:')
  );
}

export function validateTargetUrl(url: unknown): string {
  if (typeof url !== 'string') throw new EngineError('invalid_input', 'the endpoint URL is missing');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EngineError('invalid_input', `"${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new EngineError('invalid_input', 'the endpoint URL must be http or https');
  if (/[\r\n\0]/.test(url)) throw new EngineError('invalid_input', 'the endpoint URL contains a line break');
  if (isCloudMetadata(parsed.hostname)) {
    throw new EngineError('invalid_input', `${parsed.hostname} is a cloud metadata address: Hookbench never sends there`);
  }
  return parsed.href;
}

/** The default policy of each profile: the schedule its real sender publishes. */
const DEFAULT_POLICY: Record<ProfileId, 'envoyou' | 'standard-webhooks' | 'stripe' | 'github' | 'once'> = {
  engageplus: 'standard-webhooks',
  voyado: 'standard-webhooks',
  asgardeo: 'standard-webhooks',
  envoyou: 'envoyou',
  'tenant-hmac': 'standard-webhooks',
  github: 'github',
  stripe: 'stripe',
  'standard-webhooks': 'standard-webhooks',
};

export function defaultPolicyOf(profile: ProfileId) {
  return DEFAULT_POLICY[profile];
}

export type SubscriptionStore = ReturnType<typeof createSubscriptionStore>;

export function createSubscriptionStore(db: Db, sealer: Sealer, now: () => number) {
  const all = db.prepare<[], Row>('SELECT * FROM subscriptions ORDER BY created_at');
  const one = db.prepare<[string], Row>('SELECT * FROM subscriptions WHERE id = ?');
  const insert = db.prepare(`INSERT INTO subscriptions (id, name, profile, endpoint_url, events_json, data_scope, status, issuer,
      secret_sealed, policy_json, created_at) VALUES (@id, @name, @profile, @endpointUrl, @events, @dataScope, 'ACTIVE', @issuer,
      @secretSealed, @policy, @createdAt)`);
  const update = db.prepare(`UPDATE subscriptions SET name = @name, endpoint_url = @endpointUrl, events_json = @events,
      data_scope = @dataScope, status = @status, policy_json = @policy, disabled_reason = @disabledReason WHERE id = @id`);
  const remove = db.prepare('DELETE FROM subscriptions WHERE id = ?');

  const mustGetRow = (id: string) => {
    const row = one.get(id);
    if (!row) throw new EngineError('not_found', `no subscription ${id}`);
    return row;
  };

  const checkEvents = (profile: ProfileId, events: unknown): string[] => {
    const known = getProfile(profile).events;
    if (!Array.isArray(events) || events.length === 0) throw new EngineError('invalid_input', `choose at least one event (${known.join(', ')})`);
    const unknown = events.filter((e) => !known.includes(e as string));
    if (unknown.length > 0) throw new EngineError('invalid_input', `unknown event(s) for ${profile}: ${unknown.join(', ')}`);
    return events as string[];
  };

  return {
    list: (): Subscription[] => all.all().map(toSubscription),
    get: (id: string): Subscription => toSubscription(mustGetRow(id)),
    sealedSecret: (id: string): Buffer | null => mustGetRow(id).secret_sealed,
    create(input: CreateSubscriptionInput): { subscription: Subscription; secret: string | null } {
      const profile = getProfile(input?.profile);
      if (typeof input.name !== 'string' || input.name.trim() === '') throw new EngineError('invalid_input', 'a subscription needs a name');
      const dataScope = input.dataScope ?? profile.scopes[0]!;
      if (!SCOPES.includes(dataScope)) throw new EngineError('invalid_input', `data scope is ${SCOPES.join(' or ')}`);
      // Key-signed profiles get a secret too: seed 000's API hands one out at creation either way.
      const secret = input.secret ?? `whsec_${randomBytes(24).toString('base64')}`;
      const id = newId('wh_', 8);
      insert.run({
        id,
        name: input.name.trim(),
        profile: profile.id,
        endpointUrl: validateTargetUrl(input.endpointUrl),
        events: JSON.stringify(checkEvents(profile.id, input.events ?? [profile.events[0]])),
        dataScope,
        issuer: profile.credential === 'key' ? (input.issuer ?? profile.defaultIssuer) : null,
        secretSealed: sealTagged(sealer, secret),
        policy: JSON.stringify(resolvePolicy(input.policy, DEFAULT_POLICY[profile.id])),
        createdAt: now(),
      });
      return { subscription: toSubscription(mustGetRow(id)), secret };
    },
    update(input: UpdateSubscriptionInput & { disabledReason?: string | null }): Subscription {
      const current = toSubscription(mustGetRow(input?.id));
      const status = input.status ?? current.status;
      if (!STATUSES.includes(status)) throw new EngineError('invalid_input', `status is ${STATUSES.join(', ')}`);
      const dataScope = input.dataScope ?? current.dataScope;
      if (!SCOPES.includes(dataScope)) throw new EngineError('invalid_input', `data scope is ${SCOPES.join(' or ')}`);
      update.run({
        id: current.id,
        name: input.name?.trim() || current.name,
        endpointUrl: input.endpointUrl !== undefined ? validateTargetUrl(input.endpointUrl) : current.endpointUrl,
        events: JSON.stringify(input.events !== undefined ? checkEvents(current.profile, input.events) : current.events),
        dataScope,
        status,
        policy: JSON.stringify(input.policy !== undefined ? resolvePolicy(input.policy, 'once') : current.policy),
        disabledReason: status === 'DISABLED' ? (input.disabledReason ?? current.disabledReason ?? 'disabled by hand') : null,
      });
      return toSubscription(mustGetRow(current.id));
    },
    delete: (id: string): boolean => remove.run(id).changes > 0,
  };
}
