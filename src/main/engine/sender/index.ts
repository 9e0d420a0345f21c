/**
 * The sender, composed: keys, profiles, subscriptions and the outbox, over
 * one database. Hookbench acting as the identity provider.
 */
import type { Outbound, PreviewInput, SendInput, Subscription } from '../../../shared/sender';
import type { Clock } from '../clock';
import { EngineError } from '../errors';
import type { Db } from '../store/database';
import { createKeyStore } from './keys';
import { createOutbox } from './outbox';
import { resolvePolicy } from './policies';
import { getProfile, type Profile } from './profiles';
import { openTagged, sealTagged, type Sealer } from './sealer';
import { createSubscriptionStore, defaultPolicyOf, validateTargetUrl } from './subscriptions';
import { createHub } from './websub-hub';
import type { HubTopic, UpdateSubscriptionInput, CreateSubscriptionInput } from '../../../shared/sender';

export interface SenderDeps {
  db: Db;
  clock: Clock;
  /** The first seals new values; all are tried to open old ones. */
  sealers: Sealer[];
  onOutbound(outbound: Outbound): void;
  onSubscriptions(list: Subscription[]): void;
}

export type Sender = ReturnType<typeof createSender>;

export function createSender(deps: SenderDeps) {
  const now = () => deps.clock.now();
  const keys = createKeyStore(deps.db, deps.sealers, now);
  const subscriptions = createSubscriptionStore(deps.db, deps.sealers[0]!, now);
  const hub = createHub(deps.db, deps.clock, () => deps.onSubscriptions(subscriptions.list()));
  const current = (id: string) => {
    try {
      return subscriptions.get(id);
    } catch {
      return null;
    }
  };
  /** Asgardeo subscribes through WebSub: its topics are verified before any event goes out. */
  const usesWebSub = (s: Subscription) => s.profile === 'asgardeo';
  const handshake = (s: Subscription, mode: 'subscribe' | 'unsubscribe', only?: string): Promise<HubTopic[]> =>
    hub.verifyAll(s, mode, () => current(s.id), only);
  hub.resume(current);

  const keyFor = (profile: Profile, issuer: string | null) => {
    if (profile.credential !== 'key') return null;
    const iss = issuer ?? profile.defaultIssuer;
    if (!iss) throw new EngineError('invalid_input', 'this profile needs an issuer');
    const key = keys.signingKey(iss);
    if (!key) throw new EngineError('invalid_input', `no active key for issuer ${iss}: generate one under Keys (or hookbench keys generate --issuer ${iss})`);
    return key;
  };

  const outbox = createOutbox({
    db: deps.db,
    clock: deps.clock,
    credentials: ({ subscriptionId, secretSealed, issuer }) => {
      const sealed = subscriptionId ? subscriptions.sealedSecret(subscriptionId) : secretSealed;
      const secret = sealed ? openTagged(deps.sealers, sealed) : null;
      const profileIssuer = subscriptionId ? subscriptions.get(subscriptionId).issuer : issuer;
      const key = profileIssuer ? keys.signingKey(profileIssuer) : null;
      return { secret, key };
    },
    disableSubscription: (id, reason) => {
      subscriptions.update({ id, status: 'DISABLED', disabledReason: reason });
      deps.onSubscriptions(subscriptions.list());
    },
    onChange: deps.onOutbound,
  });

  const template = (input: PreviewInput, issuer: string | null = null): string => {
    const profile = getProfile(input?.profile);
    const event = input.event ?? profile.events[0]!;
    if (!profile.events.includes(event)) throw new EngineError('invalid_input', `unknown event "${event}" for ${profile.id} (${profile.events.join(', ')})`);
    return JSON.stringify(profile.template(event, input.dataScope ?? profile.scopes[0]!, now(), issuer), null, 2);
  };

  return {
    keys,
    outbox,
    hub,
    subscriptions: {
      ...subscriptions,
      create(input: CreateSubscriptionInput) {
        const created = subscriptions.create(input);
        if (usesWebSub(created.subscription)) void handshake(created.subscription, 'subscribe');
        return created;
      },
      update(input: UpdateSubscriptionInput & { disabledReason?: string | null }) {
        const before = subscriptions.get(input?.id);
        const after = subscriptions.update(input);
        if (usesWebSub(after) && before.status !== after.status) {
          if (after.status === 'ACTIVE') void handshake(after, 'subscribe');
          else if (before.status === 'ACTIVE') void handshake(after, 'unsubscribe');
        }
        return after;
      },
      delete(id: string) {
        const sub = current(id);
        if (sub && usesWebSub(sub) && sub.status === 'ACTIVE') {
          throw new EngineError('conflict', 'deactivate the webhook first: it is deleted only when inactive, after its topics are unsubscribed');
        }
        return subscriptions.delete(id);
      },
    },
    /** Sends the verification again (all topics, or one). */
    resendVerification(id: string, topic?: string): Promise<HubTopic[]> {
      const sub = subscriptions.get(id);
      if (!usesWebSub(sub)) throw new EngineError('invalid_input', `${sub.profile} subscriptions have no WebSub verification`);
      return handshake(sub, sub.status === 'ACTIVE' ? 'subscribe' : 'unsubscribe', topic);
    },
    preview: (input: PreviewInput): { payload: string } => ({ payload: template(input) }),

    /** A one-off send to any URL, with retries on the chosen policy. */
    send(input: SendInput): Outbound {
      const profile = getProfile(input?.profile);
      const event = input.event ?? profile.events[0]!;
      const issuer = profile.credential === 'key' ? (input.issuer ?? profile.defaultIssuer) : null;
      const payload = input.payload ?? template({ profile: profile.id, event, dataScope: input.dataScope }, issuer);
      try {
        JSON.parse(payload);
      } catch (error) {
        throw new EngineError('invalid_input', `the payload is not JSON: ${(error as Error).message}`);
      }
      if (profile.credential === 'secret' && !input.secret) throw new EngineError('invalid_input', `${profile.label} signs with a shared secret: give one`);
      keyFor(profile, issuer); // fail now, not at the first attempt, when no key exists
      return outbox.enqueue({
        subscriptionId: null,
        profile: profile.id,
        event,
        targetUrl: validateTargetUrl(input.targetUrl),
        payload,
        extraHeaders: input.headers ?? [],
        secretSealed: input.secret ? sealTagged(deps.sealers[0]!, input.secret) : null,
        issuer,
        policy: resolvePolicy(input.policy, defaultPolicyOf(profile.id)),
        timeScale: input.timeScale ?? 1,
      });
    },

    /** Sends an event to a subscription, as its provider would when the event happens. */
    trigger(id: string, event?: string, payload?: string, timeScale = 1): Outbound {
      const sub = subscriptions.get(id);
      if (sub.status !== 'ACTIVE') throw new EngineError('conflict', `the subscription is ${sub.status}: only ACTIVE subscriptions receive events`);
      const chosen = event ?? sub.events[0]!;
      if (!sub.events.includes(chosen)) throw new EngineError('invalid_input', `the subscription is not subscribed to ${chosen}`);
      if (usesWebSub(sub)) {
        const topic = hub.verifiedTopic(sub, chosen);
        if ('missing' in topic) throw new EngineError('conflict', `not sent: events go only to verified topics, and ${topic.missing}`);
      }
      keyFor(getProfile(sub.profile), sub.issuer);
      return outbox.enqueue({
        subscriptionId: sub.id,
        profile: sub.profile,
        event: chosen,
        targetUrl: sub.endpointUrl,
        payload: payload ?? template({ profile: sub.profile, event: chosen, dataScope: sub.dataScope }, sub.issuer),
        extraHeaders: [],
        secretSealed: null,
        issuer: sub.issuer,
        policy: sub.policy,
        timeScale,
      });
    },
  };
}
