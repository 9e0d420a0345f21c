/**
 * Re-signs a captured request the way its scheme's sender would: a fresh
 * timestamp, a fresh id (or the same one, for a duplicate), and a signature
 * made with the endpoint's secret or Hookbench's own key.
 */
import { randomUUID } from 'node:crypto';
import type { HeaderPair } from '../../../shared/model';
import type { SchemeId } from '../../../shared/verdict';
import { EngineError } from '../errors';
import { canonicalJson, parseJson } from '../schemes/canonical-json';
import { ENVOYOU_HEADERS } from '../schemes/envoyou-v1';
import { hmac, type HmacAlgorithm } from '../schemes/hmac';
import { signSet } from '../schemes/set-jwt';
import { parseSecret, signedContent } from '../schemes/standard-webhooks';
import { getHeader, setHeader } from './headers';

export interface Req {
  method: string;
  headers: HeaderPair[];
  body: Buffer;
}

export interface SigningKey {
  privateJwk: Record<string, unknown>;
  kid: string;
  alg: string;
}

export interface ResignContext {
  secret: string | null;
  /** Hookbench's active key for an issuer. */
  signingKey(issuer: string | null): SigningKey | null;
  /** Unix seconds. */
  now: number;
  signatureHeader: string;
  idHeader: string;
}

export interface ResignOptions {
  /** Unix seconds to sign with (default: now). */
  timestamp?: number;
  /** Keep the id / jti / nonce: a duplicate. */
  keepId?: boolean;
  /** Change the claims of a SET before signing. */
  claims?: (claims: Record<string, unknown>) => Record<string, unknown>;
  /** Sign a SET with this key instead of the issuer's active one. */
  key?: SigningKey;
}

function needSecret(ctx: ResignContext): string {
  if (!ctx.secret) throw new EngineError('invalid_input', 'no secret to re-sign with: set one on the endpoint (Verification…)');
  return ctx.secret;
}

export function decodeJwt(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } | null {
  const [h, p] = token.split('.');
  try {
    return {
      header: JSON.parse(Buffer.from(h ?? '', 'base64url').toString()) as Record<string, unknown>,
      claims: JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown>,
    };
  } catch {
    return null;
  }
}

export async function resign(req: Req, scheme: SchemeId, ctx: ResignContext, options: ResignOptions = {}): Promise<Req> {
  const t = options.timestamp ?? ctx.now;
  let headers = req.headers;
  switch (scheme) {
    case 'standard-webhooks': {
      const secret = parseSecret(needSecret(ctx));
      if (secret.kind !== 'hmac') throw new EngineError('invalid_input', 'the endpoint\'s first secret is not a whsec_ secret');
      // One id for both header sets, as Svix sends them.
      const freshId = `msg_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
      for (const prefix of ['webhook', 'svix']) {
        const oldId = getHeader(headers, `${prefix}-id`);
        if (oldId === undefined && getHeader(headers, `${prefix}-signature`) === undefined) continue;
        const id = options.keepId && oldId ? oldId : freshId;
        const signature = `v1,${hmac('sha256', secret.key, signedContent(id, String(t), req.body)).toString('base64')}`;
        headers = setHeader(setHeader(setHeader(headers, `${prefix}-id`, id), `${prefix}-timestamp`, String(t)), `${prefix}-signature`, signature);
      }
      return { ...req, headers };
    }
    case 'stripe': {
      const v1 = hmac('sha256', needSecret(ctx), Buffer.concat([Buffer.from(`${t}.`), req.body])).toString('hex');
      return { ...req, headers: setHeader(headers, 'Stripe-Signature', `t=${t},v1=${v1}`) };
    }
    case 'hub-signature': {
      const secret = needSecret(ctx);
      let any = false;
      for (const name of ['X-Hub-Signature-256', 'X-Hub-Signature']) {
        const old = getHeader(headers, name);
        if (old === undefined) continue;
        any = true;
        const algorithm = (/^(sha1|sha256|sha384|sha512)=/.exec(old)?.[1] ?? 'sha256') as HmacAlgorithm;
        headers = setHeader(headers, name, `${algorithm}=${hmac(algorithm, secret, req.body).toString('hex')}`);
      }
      if (!any) headers = setHeader(headers, 'X-Hub-Signature-256', `sha256=${hmac('sha256', secret, req.body).toString('hex')}`);
      return { ...req, headers };
    }
    case 'envoyou-v1': {
      const parsed = parseJson(req.body);
      const json = parsed === undefined ? req.body : Buffer.from(canonicalJson(parsed));
      const signature = `v1,${hmac('sha256', needSecret(ctx), Buffer.concat([Buffer.from(`${t}.`), json])).toString('hex')}`;
      headers = setHeader(setHeader(headers, ENVOYOU_HEADERS.signature, signature), ENVOYOU_HEADERS.timestamp, String(t));
      if (!options.keepId) headers = setHeader(headers, ENVOYOU_HEADERS.nonce, randomUUID());
      return { ...req, headers };
    }
    case 'hmac-hex': {
      headers = setHeader(headers, ctx.signatureHeader, hmac('sha256', needSecret(ctx), req.body).toString('hex'));
      if (!options.keepId) headers = setHeader(headers, ctx.idHeader, `dlv_${randomUUID()}`);
      return { ...req, headers };
    }
    case 'set-jwt': {
      const token = req.body.toString('utf8').trim() || getHeader(headers, 'X-EngagePlus-Signature') || '';
      const decoded = decodeJwt(token);
      if (!decoded) throw new EngineError('invalid_input', 'the captured body is not a JWT that can be re-signed');
      let claims: Record<string, unknown> = { ...decoded.claims, iat: t };
      if (!options.keepId) claims.jti = randomUUID();
      if (options.claims) claims = options.claims(claims);
      const issuer = typeof claims.iss === 'string' ? claims.iss : null;
      const key = options.key ?? ctx.signingKey(issuer);
      if (!key) throw new EngineError('invalid_input', `no active Hookbench key for issuer ${issuer}: generate one under Keys`);
      const signed = await signSet(claims, key.privateJwk as never, { kid: key.kid, alg: key.alg, typ: typeof decoded.header.typ === 'string' ? decoded.header.typ : undefined });
      if (getHeader(headers, 'X-EngagePlus-Signature') !== undefined) headers = setHeader(headers, 'X-EngagePlus-Signature', signed);
      return { ...req, headers, body: Buffer.from(signed) };
    }
    default: {
      const unknown: never = scheme;
      throw new EngineError('invalid_input', `cannot re-sign ${String(unknown)}`);
    }
  }
}
