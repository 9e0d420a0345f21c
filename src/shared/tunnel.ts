/** The public tunnel in front of the receiver, as the UI sees it. */
export type TunnelStatus = 'closed' | 'opening' | 'open' | 'reconnecting' | 'failed';

export interface TunnelState {
  status: TunnelStatus;
  /** The public base URL while open. */
  url: string | null;
  /** The tunnel server (a self-hosted localtunnel server, or the public one). */
  host: string;
  subdomain: string | null;
  /** Why it failed or is reconnecting, in one line. */
  reason: string | null;
  /** When the next reconnection attempt is due (ms), while reconnecting. */
  nextTryAt: number | null;
  /** Set when a reconnection brought a different URL: subscriptions pointing at the old one will break. */
  previousUrl: string | null;
}

export const DEFAULT_TUNNEL_HOST = 'https://localtunnel.me';
