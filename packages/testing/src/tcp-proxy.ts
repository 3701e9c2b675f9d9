import net from 'node:net';

export interface TcpProxy {
  /** Where to connect instead of the target: 127.0.0.1 and the proxy's port. */
  readonly host: string;
  readonly port: number;
  /**
   * Cuts the way to the target. `reset`: every connection through the proxy is closed and new ones are closed as soon
   * as they arrive, as when the target's process is gone. `hang`: nothing passes either way and new connections wait,
   * as when the network drops packets; clients see only their own timeouts.
   */
  cut(mode?: 'reset' | 'hang'): void;
  /** Lets traffic through again: hung connections carry on, waiting ones are connected to the target. */
  restore(): void;
  close(): Promise<void>;
}

interface Link {
  client: net.Socket;
  upstream?: net.Socket;
}

/**
 * A TCP proxy a test can cut and restore, between a client and a real server it must not stop (the shared broker).
 * Bytes pass unchanged, so TLS works through it; a client must connect every connection through it (a Kafka client
 * follows the broker's advertised address: see KafkajsBusOptions.connectTo).
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let state: 'open' | 'reset' | 'hang' = 'open';
  const links = new Set<Link>();

  const join = (link: Link) => {
    const upstream = net.connect(target);
    link.upstream = upstream;
    upstream.on('error', () => drop(link));
    upstream.on('close', () => drop(link));
    link.client.pipe(upstream).pipe(link.client);
    link.client.resume();
  };
  const drop = (link: Link) => {
    link.client.destroy();
    link.upstream?.destroy();
    links.delete(link);
  };

  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    if (state === 'reset') {
      client.destroy();
      return;
    }
    const link: Link = { client };
    links.add(link);
    client.on('error', () => drop(link));
    client.on('close', () => drop(link));
    if (state === 'open') join(link);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    cut(mode = 'reset') {
      state = mode;
      for (const link of links) {
        if (mode === 'reset') {
          drop(link);
        } else if (link.upstream) {
          link.client.unpipe(link.upstream);
          link.upstream.unpipe(link.client);
          link.client.pause();
          link.upstream.pause();
        }
      }
    },
    restore() {
      state = 'open';
      for (const link of links) {
        if (!link.upstream) {
          join(link);
        } else if (link.client.isPaused()) {
          link.client.pipe(link.upstream).pipe(link.client);
          link.client.resume();
          link.upstream.resume();
        }
      }
    },
    async close() {
      for (const link of links) drop(link);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A TCP port on 127.0.0.1 that nothing listens on now (for a server a test starts itself). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
