/** Realistic, varied sample people, organisations, providers and addresses for payload templates. */
import { randomBytes, randomUUID } from 'node:crypto';

const FIRST = ['Ada', 'Grace', 'Alan', 'Zoë', 'Jöhn', 'Amara', 'Kenji', 'Sofía', 'Liam', 'Noor', 'Mateus', 'Ingrid'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Okafor', 'Døe', 'Tanaka', 'García', 'Nguyen', 'Haddad', 'Silva', 'Larsen'];
const ORGS = ['Acme Retail', 'Globex', 'Initech', 'Umbrella Health', 'Stark Logistics', 'Wayne Foods'];
const PROVIDERS = ['GOOGLE', 'GITHUB', 'MICROSOFT', 'APPLE', 'OKTA'];
// Documentation address ranges (RFC 5737, RFC 3849): never anyone's real address.
const IPS = ['192.0.2.', '198.51.100.', '203.0.113.'];
const AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Mobile/15E148',
];
const PLACES = [
  { country: 'US', city: 'New York' },
  { country: 'SE', city: 'Stockholm' },
  { country: 'LK', city: 'Colombo' },
  { country: 'BR', city: 'São Paulo' },
  { country: 'JP', city: 'Osaka' },
];

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

export interface SamplePerson {
  id: string;
  uuid: string;
  sub: string;
  firstName: string;
  lastName: string;
  name: string;
  email: string;
  username: string;
  ip: string;
  userAgent: string;
  location: { country: string; city: string };
  organization: { id: string; name: string; handle: string };
  provider: { id: string; type: string };
}

export function samplePerson(): SamplePerson {
  const firstName = pick(FIRST);
  const lastName = pick(LAST);
  const org = pick(ORGS);
  const handle = org.toLowerCase().replace(/[^a-z]+/g, '');
  const ascii = (s: string) => s.normalize('NFD').replace(/[^\x20-\x7e]/g, '').toLowerCase();
  return {
    id: `user_${randomBytes(4).toString('hex')}`,
    uuid: randomUUID(),
    sub: String(10n ** 20n + BigInt(`0x${randomBytes(8).toString('hex')}`)),
    firstName,
    lastName,
    name: `${firstName} ${lastName}`,
    email: `${ascii(firstName)}.${ascii(lastName)}@example.com`,
    username: `${ascii(firstName)}${Math.floor(Math.random() * 90 + 10)}`,
    ip: `${pick(IPS)}${Math.floor(Math.random() * 254) + 1}`,
    userAgent: pick(AGENTS),
    location: pick(PLACES),
    organization: { id: `org_${randomBytes(4).toString('hex')}`, name: org, handle },
    provider: { id: `provider_${randomBytes(3).toString('hex')}`, type: pick(PROVIDERS) },
  };
}

export const newId = (prefix: string, bytes = 8) => `${prefix}${randomBytes(bytes).toString('hex')}`;
