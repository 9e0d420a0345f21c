// The parts of localtunnel 2.0.2's client this wrapper uses: its Tunnel class, whose
// sockets we keep, and whose endless "retry every second" opening we replace.
declare module 'localtunnel/lib/Tunnel.js' {
  import { EventEmitter } from 'node:events';
  interface TunnelCluster extends EventEmitter {
    open(): void;
  }
  export default class Tunnel extends EventEmitter {
    constructor(opts: { host: string; port: number; local_host?: string; subdomain?: string });
    closed: boolean;
    url?: string;
    clientId?: string;
    tunnelCluster?: TunnelCluster;
    _getInfo(body: { id: string; port: number; url: string; max_conn_count?: number; ip?: string }): unknown;
    _establish(info: unknown): void;
    close(): void;
  }
}
