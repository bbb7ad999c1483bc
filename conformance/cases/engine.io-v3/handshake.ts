/**
 * Engine.IO v3, chapters TRANSPORT and HANDSHAKE: a request with `EIO=3` is served in version 3,
 * and its open packet travels as a one-record v3 payload (`<length>:0{...}`) over polling or as
 * the first frame over WebSocket, with the four keys of version 3 (`maxPayload` optional).
 */
import { defineChapter, show } from "../../case.js";
import { decodePayload } from "../../../protocol/engine.io/v3.js";

/** The keys a version 3 open packet may carry (EIO3-HANDSHAKE-01, EIO3-HANDSHAKE-03). */
const V3_KEYS = ["sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"];

export const eio3HandshakeCases = defineChapter("engine.io v3 / handshake", [
  {
    id: "eio3.handshake.polling-open",
    title: "An EIO=3 polling handshake is answered 200 with a one-record v3 payload holding the open packet",
    rules: ["EIO3-HANDSHAKE-01", "EIO3-TRANSPORT-01"],
    level: "MUST",
    requires: ["eio3", "polling"],
    async run(ctx) {
      const { response, handshake, json } = await ctx.eio3().handshake();
      ctx.match(response.text, /^\d+:0\{/, "the handshake body");
      const record = `0${json}`;
      // The length prefix counts the record's UTF-16 code units.
      ctx.equal(response.text.slice(0, response.text.indexOf(":")), String(record.length), "the length prefix");
      ctx.assert(Array.isArray(handshake.upgrades), "upgrades is an array", { observed: show(handshake.upgrades) });
      ctx.assert(handshake.pingInterval > 0 && handshake.pingTimeout > 0, "pingInterval and pingTimeout are positive", {
        observed: json,
      });
    },
  },
  {
    id: "eio3.handshake.websocket-open",
    title: "An EIO=3 WebSocket without sid opens a session: its first frame is the open packet",
    rules: ["EIO3-TRANSPORT-01", "EIO3-HANDSHAKE-01"],
    level: "MUST",
    requires: ["eio3", "websocket"],
    async run(ctx) {
      const socket = await ctx.eio3().openWebSocket();
      const hs = socket.handshake!;
      ctx.assert(Array.isArray(hs.upgrades), "upgrades is an array", { observed: show(hs.upgrades) });
      ctx.assert(hs.sid.length > 0, "the sid is not empty", { observed: show(hs.sid) });
    },
  },
  {
    id: "eio3.handshake.max-payload",
    title: "A v3 open packet may carry maxPayload; when it does, it is a positive number",
    rules: ["EIO3-HANDSHAKE-02"],
    level: "MAY",
    requires: ["eio3", "polling"],
    async run(ctx) {
      const { handshake } = await ctx.eio3().handshake();
      if (handshake.maxPayload === undefined) return ctx.info("the v3 open packet carries no maxPayload");
      ctx.assert(
        typeof handshake.maxPayload === "number" && handshake.maxPayload > 0,
        "maxPayload is a positive number",
        { observed: show(handshake.maxPayload) },
      );
      ctx.info(`maxPayload ${handshake.maxPayload}`);
    },
  },
  {
    id: "eio3.handshake.no-extra-keys",
    title: "A v3 open packet carries no key beyond sid, upgrades, pingInterval, pingTimeout and maxPayload",
    rules: ["EIO3-HANDSHAKE-03"],
    level: "SHOULD",
    requires: ["eio3", "polling"],
    async run(ctx) {
      const { json } = await ctx.eio3().handshake();
      const extra = Object.keys(JSON.parse(json) as object).filter((k) => !V3_KEYS.includes(k));
      ctx.deepEqual(extra, [], "keys beyond those of version 3");
    },
  },
  {
    id: "eio3.handshake.jsonp",
    title: "JSONP polling (`j=<n>`) is optional; a server that offers it wraps the payload in a call of `___eio[n]`",
    rules: ["EIO3-TRANSPORT-03"],
    level: "MAY",
    requires: ["eio3", "polling"],
    async run(ctx) {
      const res = await ctx.http.request({ query: { EIO: "3", transport: "polling", j: "0" } });
      // A server without JSONP may refuse `j` or ignore it (a plain payload): both say "not offered".
      if (res.status !== 200 || !res.text.startsWith("___eio"))
        return ctx.info(`JSONP not offered (status ${res.status}, body ${show(res.text.slice(0, 40))})`);
      ctx.match(res.text, /^___eio\[0\]\(".*"\);$/s, "the JSONP handshake body");
      // The string inside is the v3 payload, JSON-escaped.
      const payload = JSON.parse(res.text.slice("___eio[0](".length, -2)) as string;
      ctx.equal(decodePayload(payload)[0]?.type, "open", "the first packet of the JSONP payload");
      ctx.info("JSONP offered");
    },
  },
]);
