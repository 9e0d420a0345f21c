/**
 * A tunnel server on 127.0.0.1 that speaks localtunnel's protocol: `GET /?new`
 * (or `/<subdomain>`) -> {id, port, max_conn_count, url}, then the client opens
 * that many TCP sockets to `port`, each carrying raw HTTP from the public side.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export async function fakeTunnelServer(maxConn = 2) {
  const sockets: Socket[] = [];
  let assigned = 0;
  const listenTcp = async () => {
    const server = createTcpServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        const i = sockets.indexOf(socket);
        if (i !== -1) sockets.splice(i, 1);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return server;
  };
  let tcp = await listenTcp();
  let tcpPort = (tcp.address() as AddressInfo).port;
  const requests: string[] = [];
  const http = createHttpServer((req, res) => {
    requests.push(req.url ?? '');
    const sub = /^\/([a-z0-9-]+)$/.exec(req.url ?? '')?.[1];
    if (req.url !== '/?new' && !sub) {
      res.writeHead(404).end();
      return;
    }
    const id = sub ?? `t${++assigned}`;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ id, port: tcpPort, max_conn_count: maxConn, url: `https://${id}.tunnel.test` }));
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const host = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  /** Sends raw HTTP down one tunnel socket, as the public side would, and reads one response. */
  function request(raw: Buffer | string, timeoutMs = 3000): Promise<string> {
    const socket = sockets[0];
    if (!socket) return Promise.reject(new Error('no tunnel socket is open'));
    return new Promise((resolve, reject) => {
      let data = Buffer.alloc(0);
      const timer = setTimeout(() => {
        socket.off('data', onData);
        reject(new Error(`no complete response, got: ${data.toString()}`));
      }, timeoutMs);
      const onData = (chunk: Buffer) => {
        data = Buffer.concat([data, chunk]);
        const text = data.toString('latin1');
        const headEnd = text.indexOf('\r\n\r\n');
        if (headEnd === -1) return;
        const length = Number(/content-length: (\d+)/i.exec(text.slice(0, headEnd))?.[1] ?? 0);
        const chunked = /transfer-encoding: chunked/i.test(text.slice(0, headEnd));
        if ((chunked && text.endsWith('0\r\n\r\n')) || (!chunked && data.length >= headEnd + 4 + length)) {
          clearTimeout(timer);
          socket.off('data', onData);
          resolve(text);
        }
      };
      socket.on('data', onData);
      socket.write(raw);
    });
  }

  async function waitForSockets(n: number, timeoutMs = 5000) {
    const until = Date.now() + timeoutMs;
    while (sockets.length < n) {
      if (Date.now() > until) throw new Error(`only ${sockets.length} of ${n} tunnel sockets connected`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  return {
    host,
    sockets,
    requests,
    request,
    waitForSockets,
    killSockets: () => sockets.splice(0).forEach((s) => s.destroy()),
    /** The client port goes away and comes back elsewhere: the client must ask for a new tunnel. */
    async moveTcp() {
      sockets.splice(0).forEach((s) => s.destroy());
      await new Promise((r) => tcp.close(r));
      tcp = await listenTcp();
      tcpPort = (tcp.address() as AddressInfo).port;
    },
    close: async () => {
      [...sockets].forEach((s) => s.destroy());
      http.closeAllConnections();
      await Promise.all([new Promise((r) => tcp.close(r)), new Promise((r) => http.close(r))]);
    },
  };
}
