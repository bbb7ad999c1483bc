/**
 * The runtime every generated package carries (codegen/runtime), on a fake socket: listener
 * bookkeeping (on, once, off), requests (options, abort, timeout, late answers), what happens to
 * invalid outgoing values, handlers that fail, and reports that fail themselves.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { compileRef, loadSchemas } from "../../codegen/catalogue/compile.js";
import { checkCatalogue } from "../../codegen/catalogue/load.js";
import { createClientBindings } from "../../codegen/runtime/client.js";
import type { EventEntry, ValidateFunction, ValidationTable } from "../../codegen/runtime/check.js";
import { AckTimeoutError, type SocketContractError } from "../../codegen/runtime/errors.js";
import type { Peer } from "../../codegen/runtime/peer.js";
import { createServerBindings } from "../../codegen/runtime/server.js";

const tuple = (...items: object[]) => ({ prefixItems: items, items: false, minItems: items.length });

type Contract = {
  "/": {
    clientToServer: { say: { args: [text: string] }; ask: { args: [n: number]; ack: [answer: string] } };
    serverToClient: { told: { args: [text: string] } };
  };
};

/** The validation table of a small catalogue, compiled with ajv directly. */
function table(): ValidationTable {
  const catalogue = checkCatalogue(
    {
      title: "runtime",
      namespaces: {
        "/": {
          clientToServer: {
            say: { args: tuple({ title: "text", type: "string" }) },
            ask: { args: tuple({ title: "n", type: "integer" }), ack: tuple({ title: "answer", type: "string" }) },
          },
          serverToClient: { told: { args: tuple({ title: "text", type: "string" }) } },
        },
      },
    },
    "runtime.json",
  );
  const schemas = loadSchemas(catalogue);
  const fn = (i: number) => compileRef(schemas, schemas.tuples[i]!.ref) as unknown as ValidateFunction;
  const entry = (args: number, ack: number | undefined, names: string[]): EventEntry => ({
    args: fn(args),
    argNames: names,
    ack: ack === undefined ? undefined : fn(ack),
    ackShape: ack === undefined ? "none" : "value",
  });
  return {
    "/": {
      clientToServer: { say: entry(0, undefined, ["text"]), ask: entry(1, 2, ["n"]) },
      serverToClient: { told: entry(3, undefined, ["text"]) },
    },
  };
}

/** A socket that records what is sent and lets the test deliver events. */
class FakeSocket {
  readonly nsp = { name: "/" };
  readonly sent: unknown[][] = [];
  private readonly listeners = new Map<string, ((...args: unknown[]) => void)[]>();
  on(event: string, listener: (...args: unknown[]) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  off(event: string, listener: (...args: unknown[]) => void): this {
    const list = this.listeners.get(event) ?? [];
    const i = list.indexOf(listener);
    if (i >= 0) list.splice(i, 1);
    return this;
  }
  emit(event: string, ...args: unknown[]): boolean {
    this.sent.push([event, ...args]);
    return true;
  }
  deliver(event: string, ...args: unknown[]): void {
    for (const l of [...(this.listeners.get(event) ?? [])]) l(...args);
  }
  count(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

function serverPeer(options: Parameters<ReturnType<typeof createServerBindings<Contract>>["wrap"]>[2] = {}) {
  const socket = new FakeSocket();
  const invalid: SocketContractError[] = [];
  const peer = createServerBindings<Contract>(table()).wrap("/", socket, {
    onInvalid: (e) => invalid.push(e),
    ...options,
  });
  return { socket, peer, invalid };
}

afterEach(() => vi.useRealTimers());

describe("listeners", () => {
  it("once: the first valid event only; an invalid one does not use it up", () => {
    const { socket, peer } = serverPeer();
    const got: string[] = [];
    peer.once("say", (text) => void got.push(text));
    socket.deliver("say", 42);
    socket.deliver("say", "first");
    socket.deliver("say", "second");
    expect(got).toEqual(["first"]);
    expect(socket.count("say")).toBe(0);
  });

  it("off removes one registration at a time, as the socket's own off does", () => {
    const { socket, peer } = serverPeer();
    let calls = 0;
    const listener = () => void calls++;
    peer.on("say", listener).on("say", listener);
    socket.deliver("say", "a");
    peer.off("say", listener);
    socket.deliver("say", "b");
    peer.off("say", listener);
    socket.deliver("say", "c");
    expect(calls).toBe(3);
    expect(socket.count("say")).toBe(0);
  });

  it("refuses to listen for an event this side does not receive", () => {
    const { peer } = serverPeer();
    expect(() =>
      (peer as unknown as Peer<Contract["/"]["serverToClient"], Record<never, never>>).on("told", () => undefined),
    ).toThrow(/not an event this side receives on \//);
  });

  it("answers once: a second answer and an answer after a failure are dropped", async () => {
    const { socket, peer, invalid } = serverPeer();
    const errors: unknown[] = [];
    const { peer: failing, socket: failingSocket } = serverPeer({ onError: (e) => errors.push(e) });
    peer.on("ask", (_n, ack) => {
      ack("one");
      ack("two");
    });
    const answers: unknown[] = [];
    socket.deliver("ask", 1, (...a: unknown[]) => answers.push(a));
    expect(answers).toEqual([["one"]]);
    failing.on("ask", async (_n, ack) => {
      await Promise.resolve();
      setTimeout(() => ack("late"), 0);
      throw new Error("async failure");
    });
    const failed: unknown[] = [];
    failingSocket.deliver("ask", 1, (...a: unknown[]) => failed.push(a));
    await new Promise((r) => setTimeout(r, 10));
    expect(failed).toEqual([
      [
        {
          code: "UNKNOWN_ERROR",
          namespace: "/",
          event: "ask",
          pointer: "",
          keyword: "handler",
          message: "the handler failed",
        },
      ],
    ]);
    expect(String(errors[0])).toContain("async failure");
    expect(invalid).toEqual([]);
  });

  it("survives an onInvalid that throws", () => {
    const socket = new FakeSocket();
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const peer = createServerBindings<Contract>(table()).wrap("/", socket, {
      onInvalid: () => {
        throw new Error("the report failed");
      },
    });
    peer.on("say", () => undefined);
    expect(() => socket.deliver("say", 1)).not.toThrow();
    expect(errors).toHaveBeenCalledOnce();
    errors.mockRestore();
  });
});

describe("sending", () => {
  it("emit: checks, refuses quietly with a report, throws on misuse", () => {
    const socket = new FakeSocket();
    const invalid: SocketContractError[] = [];
    const peer = createClientBindings<Contract>(table()).wrap("/", socket, { onInvalid: (e) => invalid.push(e) });
    expect(peer.emit("say", "hi")).toBe(true);
    expect(peer.emit("say", 3 as unknown as string)).toBe(false);
    expect(socket.sent).toEqual([["say", "hi"]]);
    expect(invalid).toMatchObject([{ code: "REQUEST_VALIDATION_ERROR", side: "sent", pointer: "/0", keyword: "type" }]);
    expect(() => (peer as unknown as { emit(e: string): void }).emit("ask")).toThrow(
      /has an acknowledgement: send it with request\(\)/,
    );
    expect(() => (peer as unknown as { emit(e: string): void }).emit("nope")).toThrow(
      /not an event this side may send/,
    );
  });

  it("request: options required, abort and timeout reject, a late answer is ignored", async () => {
    vi.useFakeTimers();
    const socket = new FakeSocket();
    const peer = createClientBindings<Contract>(table()).wrap("/", socket);
    await expect(
      (peer as unknown as { request(e: string, ...a: unknown[]): Promise<unknown> }).request("ask", 1),
    ).rejects.toThrow(/the last argument must be the options/);
    await expect(
      (peer as unknown as { request(e: string, ...a: unknown[]): Promise<unknown> }).request("say", "x", {
        timeout: 5,
      }),
    ).rejects.toThrow(/has no acknowledgement/);

    const aborted = new AbortController();
    aborted.abort(new Error("gave up early"));
    await expect(peer.request("ask", 1, { timeout: 1000, signal: aborted.signal })).rejects.toThrow("gave up early");
    expect(socket.sent).toEqual([]);

    const controller = new AbortController();
    const pending = peer.request("ask", 2, { timeout: 1000, signal: controller.signal });
    controller.abort(new Error("user left"));
    await expect(pending).rejects.toThrow("user left");

    const timed = peer.request("ask", 3, { timeout: 50 });
    vi.advanceTimersByTime(50);
    await expect(timed).rejects.toBeInstanceOf(AckTimeoutError);
    // The answers that come after the end of their requests change nothing.
    for (const sent of socket.sent) (sent[sent.length - 1] as (answer: unknown) => void)("too late");

    const answered = peer.request("ask", 4, { timeout: 50 });
    (socket.sent[socket.sent.length - 1]!.at(-1) as (answer: unknown) => void)("forty-two");
    await expect(answered).resolves.toBe("forty-two");
  });

  it("wrap refuses a socket of another namespace", () => {
    const server = createServerBindings<Contract>(table());
    expect(() =>
      server.wrap("/", { ...new FakeSocket(), nsp: { name: "/admin" }, on() {}, off() {}, emit() {} }),
    ).toThrow(/belongs to namespace \/admin/);
    const client = createClientBindings<Contract>(table());
    expect(() => client.wrap("/", { nsp: "/admin", on() {}, off() {}, emit() {} } as never)).toThrow(
      /connected to namespace \/admin/,
    );
    expect(() => server.wrap("/nope" as "/", { on() {}, off() {}, emit() {} })).toThrow(
      /namespace "\/nope" is not in the catalogue/,
    );
  });
});
