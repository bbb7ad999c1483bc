/**
 * The node:http side of a mutant server split by protocol version: on a server that serves
 * version 3, a request with `EIO=3` goes to a router with the faults of the version 3 path; any
 * other (an `EIO=3` refused by a v4-only server included) goes to one with the rest, so that the
 * faults of the HTTP envelope (statuses, content types, sids) break only the version they are
 * written for, as the session faults do (index.ts).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { NodeRouter } from "../../engine/node/router.js";
import type { EngineServer } from "../../engine/server.js";

/** True for a request with `EIO=3`. */
function asksV3(req: IncomingMessage): boolean {
  return /[?&]EIO=3(?:&|$)/.test(req.url ?? "");
}

export class RouterByVersion extends NodeRouter {
  constructor(
    server: EngineServer,
    private readonly v4: NodeRouter,
    private readonly v3: NodeRouter,
  ) {
    super(server);
  }

  private servesV3(req: IncomingMessage): boolean {
    return this.server.options.allowEIO3 && asksV3(req);
  }

  override handleRequest(req: IncomingMessage, res: ServerResponse): void {
    (this.servesV3(req) ? this.v3 : this.v4).handleRequest(req, res);
  }

  override handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    (this.servesV3(req) ? this.v3 : this.v4).handleUpgrade(req, socket, head);
  }

  override close(): void {
    this.v4.close();
    this.v3.close();
    super.close();
  }
}
