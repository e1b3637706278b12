// A TCP proxy in front of a real server, for fault tests: `cut()` drops every open
// connection and refuses new ones (as a stopped Postgres does), `restore()` listens again
// on the same port. `delayMs` slows every chunk (a slow network or an overloaded node).
import net from "node:net";

export interface TcpProxy {
  port: number;
  cut(): Promise<void>;
  /** Packets vanish (a network partition): connections open but nothing gets through. */
  blackhole(): void;
  restore(): Promise<void>;
  delayMs: number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let server: net.Server;
  let swallowing = false;
  let port = 0;
  const proxy: TcpProxy = {
    port: 0,
    delayMs: 0,
    async cut() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
    blackhole() {
      swallowing = true;
    },
    async restore() {
      if (swallowing) {
        swallowing = false;
        for (const socket of sockets) socket.destroy(); // what was sent into the hole is lost
        return;
      }
      if (!server.listening) await listen();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
    },
  };
  const relay = (from: net.Socket, to: net.Socket) =>
    from.on("data", (chunk) => {
      if (swallowing) return;
      if (proxy.delayMs > 0) setTimeout(() => to.write(chunk), proxy.delayMs);
      else to.write(chunk);
    });
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
          socket.on("error", () => {
            client.destroy();
            upstream.destroy();
          });
        }
        relay(client, upstream);
        relay(upstream, client);
        client.on("close", () => upstream.destroy());
        upstream.on("close", () => client.destroy());
      });
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        port = (server.address() as net.AddressInfo).port;
        proxy.port = port;
        resolve();
      });
    });
  await listen();
  return proxy;
}
