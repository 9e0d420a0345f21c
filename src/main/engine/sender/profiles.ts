/**
 * One profile per real sender, exact to its documented headers and signed
 * bytes (../shared/seeds). A profile builds a payload template and turns a
 * payload into a signed request; the schemes do the signing.
 */
import { randomUUID } from 'node:crypto';
import type { HeaderPair } from '../../../shared/model';
import type { DataScope, ProfileId, ProfileInfo } from '../../../shared/sender';
import { EngineError } from '../errors';
import { signEnvoyou } from '../schemes/envoyou-v1';
import { signHmacHex } from '../schemes/hmac-hex';
import { signHubSignature } from '../schemes/hub-signature';
import { signSet } from '../schemes/set-jwt';
import { signStandardWebhooks } from '../schemes/standard-webhooks';
import { signStripe } from '../schemes/stripe';
import { newId, samplePerson } from './sample-data';

export interface SignContext {
  event: string;
  /** The payload JSON as text (possibly edited by the user). */
  payload: string;
  /** Unix seconds of this attempt: timestamped schemes sign each attempt afresh. */
  timestamp: number;
  /** Stable across attempts: the idempotency key a receiver deduplicates on. */
  deliveryId: string;
  secret: string | null;
  key: { privateJwk: Record<string, unknown>; kid: string; alg: string } | null;
}

export interface Profile extends ProfileInfo {
  template(event: string, scope: DataScope, nowMs: number, issuer: string | null): unknown;
  sign(ctx: SignContext): Promise<{ headers: HeaderPair[]; body: Buffer }>;
}

const json = (headers: HeaderPair[] = []): HeaderPair[] => [['Content-Type', 'application/json'], ...headers];

function needSecret(ctx: SignContext): string {
  if (!ctx.secret) throw new EngineError('invalid_input', 'this profile signs with a shared secret: give one');
  return ctx.secret;
}

const ENGAGEPLUS_EVENT_URI: Record<string, string> = { AUTH_SUCCESS: 'https://engageplus.id/events/auth_success' };

const ASGARDEO_EVENTS: Record<string, string> = {
  loginSuccess: 'https://schemas.identity.wso2.org/events/login/event-type/loginSuccess',
  loginFailed: 'https://schemas.identity.wso2.org/events/login/event-type/loginFailed',
  registrationSuccess: 'https://schemas.identity.wso2.org/events/registration/event-type/registrationSuccess',
  registrationFailed: 'https://schemas.identity.wso2.org/events/registration/event-type/registrationFailed',
  accessTokenIssued: 'https://schemas.identity.wso2.org/events/token/event-type/accessTokenIssued',
  accessTokenRevoked: 'https://schemas.identity.wso2.org/events/token/event-type/accessTokenRevoked',
  sessionCreated: 'https://schemas.identity.wso2.org/events/session/event-type/sessionCreated',
  sessionRevoked: 'https://schemas.identity.wso2.org/events/session/event-type/sessionRevoked',
  credentialUpdated: 'https://schemas.identity.wso2.org/events/credential/event-type/credentialUpdated',
  userAccountLocked: 'https://schemas.identity.wso2.org/events/user/event-type/userAccountLocked',
  userAccountUnlocked: 'https://schemas.identity.wso2.org/events/user/event-type/userAccountUnlocked',
  userProfileUpdated: 'https://schemas.identity.wso2.org/events/user/event-type/userProfileUpdated',
};

const ENVOYOU_EVENTS = [
  'user.created', 'user.updated', 'user.deleted', 'user.verified',
  'auth.login', 'auth.logout', 'auth.failed', 'auth.password_reset',
  'api.rate_limit_exceeded', 'api.quota_exceeded', 'api.key_expired',
  'system.maintenance_start', 'system.maintenance_end', 'system.incident',
];

function envoyouObject(event: string, nowMs: number) {
  const p = samplePerson();
  const iso = new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const [group] = event.split('.');
  switch (group) {
    case 'user':
      return { id: p.id, email: p.email, name: p.name, email_verified: event === 'user.verified', created_at: iso, metadata: {} };
    case 'auth':
      return { user_id: p.id, ip_address: p.ip, user_agent: p.userAgent, timestamp: iso, location: p.location };
    case 'api':
      return { api_key_id: newId('key_', 6), user_id: p.id, limit: 1000, used: 1000, window: 'month', timestamp: iso };
    default:
      return { incident_id: newId('inc_', 4), status: event.endsWith('incident') ? 'investigating' : 'scheduled', message: 'Database maintenance in eu-west-1', timestamp: iso };
  }
}

const profiles: { [K in ProfileId]: Profile } = {
  engageplus: {
    id: 'engageplus',
    label: 'EngagePlus (SET, RS256)',
    source: 'seed 000',
    scheme: 'set-jwt',
    credential: 'key',
    events: ['AUTH_SUCCESS'],
    defaultIssuer: 'https://engageplus.id',
    scopes: ['UUID_ONLY', 'INCLUDE_USER_DATA'],
    template(event, scope, nowMs, issuer) {
      const p = samplePerson();
      const t = Math.floor(nowMs / 1000);
      const body: Record<string, unknown> = {
        organizationId: p.organization.id,
        provider: p.provider,
        timestamp: t,
      };
      if (scope === 'INCLUDE_USER_DATA') {
        body.user = { email: p.email, name: p.name, picture: `https://images.example.com/avatars/${p.id}.png`, email_verified: true };
      }
      return { sub: p.sub, events: { [ENGAGEPLUS_EVENT_URI[event] ?? ENGAGEPLUS_EVENT_URI.AUTH_SUCCESS!]: body }, iss: issuer ?? 'https://engageplus.id', iat: t, jti: randomUUID() };
    },
    async sign(ctx) {
      if (!ctx.key) throw new EngineError('invalid_input', 'EngagePlus signs with a key: generate one for the issuer first');
      const token = await signSet(JSON.parse(ctx.payload) as Record<string, unknown>, ctx.key.privateJwk, { kid: ctx.key.kid, alg: ctx.key.alg });
      return {
        headers: [
          ['Content-Type', 'application/secevent+jwt'],
          ['User-Agent', 'EngagePlus-Webhooks/1.0'],
          ['X-EngagePlus-Event', ctx.event],
          ['X-EngagePlus-Signature', token],
        ],
        body: Buffer.from(token),
      };
    },
  },
  voyado: {
    id: 'voyado',
    label: 'Voyado Engage (Svix)',
    source: 'seed 001',
    scheme: 'standard-webhooks',
    credential: 'secret',
    events: ['contact.created', 'contact.updated', 'contact.deleted', 'purchase.created', 'bonus.points.changed'],
    defaultIssuer: null,
    scopes: ['INCLUDE_USER_DATA'],
    template(event, _scope, nowMs) {
      const p = samplePerson();
      return { type: event, timestamp: new Date(nowMs).toISOString(), data: { contactId: p.uuid, email: p.email, firstName: p.firstName, lastName: p.lastName, country: p.location.country } };
    },
    async sign(ctx) {
      const signed = signStandardWebhooks({ body: Buffer.from(ctx.payload), secret: needSecret(ctx), id: ctx.deliveryId, timestamp: ctx.timestamp }, 'svix');
      // Svix sends its own header names and the Standard Webhooks ones, with the same values.
      const standard = signed.headers.map(([k, v]): HeaderPair => [k.replace(/^svix-/, 'webhook-'), v]);
      return { headers: [...json([['User-Agent', 'Svix-Webhooks/1.x']]), ...signed.headers, ...standard], body: signed.body };
    },
  },
  asgardeo: {
    id: 'asgardeo',
    label: 'Asgardeo (WebSub, x-hub-signature)',
    source: 'seed 002',
    scheme: 'hub-signature',
    credential: 'secret',
    events: Object.keys(ASGARDEO_EVENTS),
    defaultIssuer: 'https://api.asgardeo.io/t/myorg',
    scopes: ['INCLUDE_USER_DATA'],
    template(event, _scope, nowMs, issuer) {
      const p = samplePerson();
      const org = { id: randomUUID(), name: p.organization.handle, orgHandle: p.organization.handle, depth: 0 };
      return {
        iss: issuer ?? 'https://api.asgardeo.io/t/myorg',
        jti: randomUUID(),
        iat: nowMs, // Asgardeo sends milliseconds
        rci: randomUUID(),
        events: {
          [ASGARDEO_EVENTS[event] ?? ASGARDEO_EVENTS.loginSuccess!]: {
            user: { id: p.uuid, claims: [{ uri: 'http://wso2.org/claims/username', value: p.email }], organization: org, ref: `https://api.asgardeo.io/t/${org.name}/scim2/Users/${p.uuid}` },
            tenant: { id: String(10000 + Math.floor(Math.random() * 9000)), name: org.name },
            organization: org,
            userStore: { id: 'REVGQVVMVA==', name: 'DEFAULT' },
            application: { id: randomUUID(), name: 'Console' },
            authenticationMethods: ['BasicAuthenticator'],
          },
        },
      };
    },
    async sign(ctx) {
      const signed = signHubSignature({ body: Buffer.from(ctx.payload), secret: needSecret(ctx) }, { header: 'X-Hub-Signature' });
      return { headers: [...json(), ['x-hub-signature', signed.headers[0]![1]]], body: signed.body };
    },
  },
  envoyou: {
    id: 'envoyou',
    label: 'EnvoyOU (v1, canonical JSON)',
    source: 'seed 003',
    scheme: 'envoyou-v1',
    credential: 'secret',
    events: ENVOYOU_EVENTS,
    defaultIssuer: null,
    scopes: ['INCLUDE_USER_DATA'],
    template(event, _scope, nowMs) {
      return { id: newId('evt_', 5), type: event, created: Math.floor(nowMs / 1000), data: { object: envoyouObject(event, nowMs) }, webhook_id: 'wh_hookbench' };
    },
    async sign(ctx) {
      const parsed = JSON.parse(ctx.payload) as { webhook_id?: string };
      return signEnvoyou({
        body: Buffer.from(ctx.payload),
        secret: needSecret(ctx),
        timestamp: ctx.timestamp,
        id: ctx.deliveryId,
        webhookId: parsed.webhook_id ?? 'wh_hookbench',
        eventType: ctx.event,
        nonce: randomUUID(),
      });
    },
  },
  'tenant-hmac': {
    id: 'tenant-hmac',
    label: 'Tenant webhooks (hex HMAC)',
    source: 'seed 004',
    scheme: 'hmac-hex',
    credential: 'secret',
    events: ['member.invited', 'member.removed', 'tenant.updated', 'domain.verified'],
    defaultIssuer: null,
    scopes: ['INCLUDE_USER_DATA'],
    template(event, _scope, nowMs) {
      const p = samplePerson();
      return { id: newId('evt_', 6), event, occurred_at: new Date(nowMs).toISOString(), tenant: { id: p.organization.id, name: p.organization.name }, member: { email: p.email, name: p.name } };
    },
    async sign(ctx) {
      const signed = signHmacHex({ body: Buffer.from(ctx.payload), secret: needSecret(ctx), id: ctx.deliveryId }, { signatureHeader: 'X-Webhook-Signature', idHeader: 'X-Webhook-Delivery-Id' });
      return { headers: [...json(), ...signed.headers], body: signed.body };
    },
  },
  github: {
    id: 'github',
    label: 'GitHub (X-Hub-Signature-256)',
    source: 'GitHub webhooks',
    scheme: 'hub-signature',
    credential: 'secret',
    events: ['ping', 'push', 'organization', 'membership'],
    defaultIssuer: null,
    scopes: ['INCLUDE_USER_DATA'],
    template(event) {
      const p = samplePerson();
      const sender = { login: p.username, id: Math.floor(Math.random() * 9e7), type: 'User' };
      return event === 'ping'
        ? { zen: 'Keep it logically awesome.', hook_id: Math.floor(Math.random() * 9e8), sender }
        : { action: event === 'push' ? undefined : 'member_added', organization: { login: p.organization.handle }, sender };
    },
    async sign(ctx) {
      const signed = signHubSignature({ body: Buffer.from(ctx.payload), secret: needSecret(ctx) }, { header: 'X-Hub-Signature-256' });
      return {
        headers: [...json([['User-Agent', 'GitHub-Hookshot/hookbench'], ['X-GitHub-Event', ctx.event], ['X-GitHub-Delivery', ctx.deliveryId]]), ...signed.headers],
        body: signed.body,
      };
    },
  },
  stripe: {
    id: 'stripe',
    label: 'Stripe (Stripe-Signature)',
    source: 'Stripe convention',
    scheme: 'stripe',
    credential: 'secret',
    events: ['customer.created', 'customer.updated', 'invoice.paid', 'payment_intent.succeeded'],
    defaultIssuer: null,
    scopes: ['INCLUDE_USER_DATA'],
    template(event, _scope, nowMs) {
      const p = samplePerson();
      return { id: newId('evt_', 8), object: 'event', api_version: '2024-06-20', created: Math.floor(nowMs / 1000), type: event, data: { object: { id: newId('cus_', 7), object: 'customer', email: p.email, name: p.name } } };
    },
    async sign(ctx) {
      const signed = signStripe({ body: Buffer.from(ctx.payload), secret: needSecret(ctx), timestamp: ctx.timestamp });
      return { headers: [...json([['User-Agent', 'Stripe/1.0 (+https://stripe.com/docs/webhooks)']]), ...signed.headers], body: signed.body };
    },
  },
  'standard-webhooks': {
    id: 'standard-webhooks',
    label: 'Standard Webhooks (webhook-*)',
    source: 'standard-webhooks spec',
    scheme: 'standard-webhooks',
    credential: 'secret',
    events: ['user.created', 'user.updated', 'user.deleted', 'session.started'],
    defaultIssuer: null,
    scopes: ['INCLUDE_USER_DATA'],
    template(event, _scope, nowMs) {
      const p = samplePerson();
      return { type: event, timestamp: new Date(nowMs).toISOString(), data: { id: p.id, email: p.email, name: p.name } };
    },
    async sign(ctx) {
      const signed = signStandardWebhooks({ body: Buffer.from(ctx.payload), secret: needSecret(ctx), id: ctx.deliveryId, timestamp: ctx.timestamp });
      return { headers: [...json(), ...signed.headers], body: signed.body };
    },
  },
};

export const PROFILE_IDS = Object.keys(profiles) as ProfileId[];

export function getProfile(id: string): Profile {
  const profile = (profiles as Record<string, Profile | undefined>)[id];
  if (!profile) throw new EngineError('invalid_input', `unknown profile "${id}" (known: ${PROFILE_IDS.join(', ')})`);
  return profile;
}

export function profileInfo(p: Profile): ProfileInfo {
  const { id, label, source, scheme, credential, events, defaultIssuer, scopes } = p;
  return { id, label, source, scheme, credential, events, defaultIssuer, scopes };
}
