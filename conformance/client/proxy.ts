/**
 * A loopback TCP proxy between the runner and the server, for drop detection: `blackhole()`
 * stops forwarding in both directions while keeping both sockets open, so the server sees a
 * peer that has gone silent with no FIN and no RST (a half-open connection).
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import type { Transcript } from "../runner/transcript.js";

interface Pair {
  client: Socket;
  upstream: Socket;
  label: string;
}

export class TcpProxy {
  /** `http://127.0.0.1:<port>`: point clients here instead of at the server. */
  baseUrl = "";
  private readonly server: Server;
  private readonly pairs: Pair[] = [];
  private holed = false;

  constructor(
    private readonly transcript: Transcript,
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {
    this.server = createServer((client) => this.accept(client));
  }

  /** Starts listening on 127.0.0.1, port 0. */
  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", resolve);
    });
    const addr = this.server.address();
    if (addr && typeof addr === "object") this.baseUrl = `http://127.0.0.1:${addr.port}`;
    return this;
  }

  /**
   * Stops forwarding on every connection, now and later: bytes from either side are dropped,
   * nothing is closed. The server's socket stays open with no FIN.
   * @example
   * ```ts
   * const { proxy, engine } = await ctx.proxy();
   * const session = await engine.openPolling();
   * proxy.blackhole();
   * ```
   */
  blackhole(): void {
    this.holed = true;
    for (const p of this.pairs) this.hole(p);
  }

  /** Ends every connection (FIN both ways) and stops listening. */
  async close(): Promise<void> {
    for (const p of this.pairs) {
      p.client.destroy();
      p.upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const label = this.transcript.label("proxy");
    const upstream = connect({ host: this.targetHost, port: this.targetPort });
    const pair = { client, upstream, label };
    this.pairs.push(pair);
    this.transcript.record({
      kind: "tcp",
      conn: label,
      event: "connect",
      detail: `proxied to ${this.targetHost}:${this.targetPort}`,
    });
    // Once black-holed, an end on one side is not passed on: a dead peer passes nothing on.
    const closeOther = (other: Socket, side: string) => () => {
      if (!this.holed) other.destroy();
      else
        this.transcript.record({
          kind: "tcp",
          conn: label,
          event: "fin",
          detail: `${side} side ended (not forwarded)`,
        });
    };
    client.on("error", () => undefined);
    upstream.on("error", () => undefined);
    client.on("close", closeOther(upstream, "runner"));
    upstream.on("close", closeOther(client, "server"));
    if (this.holed) this.hole(pair);
    else {
      client.pipe(upstream);
      upstream.pipe(client);
    }
  }

  private hole(p: Pair): void {
    p.client.unpipe(p.upstream);
    p.upstream.unpipe(p.client);
    // Read and drop, so neither side sees back-pressure that a real dead peer would not cause.
    p.client.removeAllListeners("data").on("data", () => undefined);
    p.upstream.removeAllListeners("data").on("data", () => undefined);
    p.client.resume();
    p.upstream.resume();
    this.transcript.record({
      kind: "tcp",
      conn: p.label,
      event: "blackhole",
      detail: "forwarding stopped both ways; sockets kept open",
    });
  }
}
