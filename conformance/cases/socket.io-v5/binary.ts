/**
 * Socket.IO v5, chapter BINARY: binary events and acks with their placeholders and attachments,
 * over WebSocket (binary frames) and polling (`b` records), both directions; and the attachment
 * sequences that close the session.
 */
import { defineChapter, needs } from "../../case.js";
import { PRECONDITIONS as P } from "../../preconditions.js";
import { expectAttachments, expectPacket, judgePacket } from "../../checks/sio-packet.js";
import { binaryViolation, expectSilence, violation } from "../../checks/sio-violation.js";
import { join, onJoined, serverAsks } from "../../client/socketio-steps.js";

/** The placeholder for attachment `n`, as the spec writes it. */
function ph(n: number): string {
  return `{"_placeholder":true,"num":${n}}`;
}

const A = new Uint8Array([1, 2, 3]);
const B = new Uint8Array([4, 5, 6, 255, 0]);

export const sio5BinaryCases = defineChapter("socket.io v5 / binary", [
  {
    id: "sio5.binary.one-attachment",
    title: "A binary event with one attachment is echoed with the same header and the same bytes",
    rules: ["SIO5-BINARY-01", "SIO5-BINARY-02", "SIO5-BINARY-05", "SIO5-BINARY-10", "SIO5-PACKET-07"],
    level: "MUST",
    requires: ["socketio-echo", "binary"],
    run: onJoined("websocket", async (ctx, s) => {
      s.send(`451-["message",${ph(0)}]`, A);
      await expectPacket(ctx, s, `451-["message-back",${ph(0)}]`, "the header of the echo");
      await expectAttachments(ctx, s, [A], "the attachment of the echo");
    }),
  },
  {
    id: "sio5.binary.two-attachments",
    title: "A binary event with two attachments is echoed with placeholders 0 and 1 and the bytes in order",
    rules: ["SIO5-BINARY-02", "SIO5-BINARY-03", "SIO5-BINARY-05"],
    level: "MUST",
    requires: ["socketio-echo", "binary"],
    run: onJoined("websocket", async (ctx, s) => {
      s.send(`452-["message",${ph(0)},"mid",${ph(1)}]`, A, B);
      await expectPacket(ctx, s, `452-["message-back",${ph(0)},"mid",${ph(1)}]`, "the header of the echo");
      await expectAttachments(ctx, s, [A, B], "the attachments of the echo");
    }),
  },
  {
    id: "sio5.binary.polling",
    title: "Over polling, attachments travel as b+base64 records and are echoed the same way",
    rules: ["SIO5-BINARY-07", "SIO5-BINARY-02", "SIO5-BINARY-05", "SIO5-BINARY-03"],
    level: "MUST",
    requires: ["socketio-echo", "binary", "polling"],
    run: onJoined("polling", async (ctx, s) => {
      s.send(`452-["message",${ph(0)},${ph(1)}]`, A, B);
      await expectPacket(ctx, s, `452-["message-back",${ph(0)},${ph(1)}]`, "the header of the echo");
      await expectAttachments(ctx, s, [A, B], "the attachments of the echo");
    }),
  },
  {
    id: "sio5.binary.custom-namespace",
    title: "On /custom the header is 451-/custom,[...]: count, then namespace",
    rules: ["SIO5-PACKET-05", "SIO5-BINARY-01"],
    level: "MUST",
    requires: ["socketio-echo", "binary"],
    run: onJoined("websocket", async (ctx, s) => {
      await join(s, "/custom");
      s.send(`451-/custom,["message",${ph(0)}]`, A);
      await expectPacket(ctx, s, `451-/custom,["message-back",${ph(0)}]`, "the header of the echo on /custom", {
        payload: P.eventEchoed,
      });
      await expectAttachments(ctx, s, [A], "the attachment of the echo");
    }),
  },
  {
    id: "sio5.binary.nested",
    title: "Binary nested inside objects and arrays goes back in the same place",
    rules: ["SIO5-BINARY-02", "SIO5-BINARY-05"],
    level: "MUST",
    requires: ["socketio-echo", "binary"],
    run: onJoined("websocket", async (ctx, s) => {
      s.send(`451-["message",{"a":[1,{"b":${ph(0)}}],"c":"d"}]`, A);
      await expectPacket(ctx, s, `451-["message-back",{"a":[1,{"b":${ph(0)}}],"c":"d"}]`, "the header of the echo");
      await expectAttachments(ctx, s, [A], "the attachment of the echo");
    }),
  },
  {
    id: "sio5.binary.empty-attachment",
    title: "A zero-byte attachment is valid and comes back empty",
    rules: ["SIO5-BINARY-08"],
    level: "MUST",
    requires: ["socketio-echo", "binary"],
    run: onJoined("websocket", async (ctx, s) => {
      s.send(`451-["message",${ph(0)}]`, new Uint8Array(0));
      await expectPacket(ctx, s, `451-["message-back",${ph(0)}]`, "the header of the echo", { payload: P.eventEchoed });
      await expectAttachments(ctx, s, [new Uint8Array(0)], "the empty attachment of the echo");
    }),
  },
  {
    id: "sio5.binary.awaits-attachments",
    title: "A binary event is not delivered before its attachment arrives",
    rules: ["SIO5-BINARY-05"],
    level: "MUST",
    requires: ["socketio-echo", "binary"],
    run: onJoined("websocket", async (ctx, s) => {
      s.send(`451-["message",${ph(0)}]`);
      await expectSilence(s, ctx.scale(250), "a binary event whose attachment has not been sent");
      s.send(A);
      await expectPacket(ctx, s, `451-["message-back",${ph(0)}]`, "the header of the echo", { payload: P.eventEchoed });
      await expectAttachments(ctx, s, [A], "the attachment of the echo");
    }),
  },
  {
    id: "sio5.binary.ack-from-server",
    title: "An ack with binary arguments is sent as BINARY_ACK: 461-9[...] and the attachment",
    rules: ["SIO5-ACK-09", "SIO5-BINARY-01", "SIO5-ACK-04"],
    level: "MUST",
    requires: ["socketio-echo", "binary"],
    run: onJoined("websocket", async (ctx, s) => {
      s.send(`451-9["message-with-ack",${ph(0)}]`, A);
      await expectPacket(ctx, s, `461-9[${ph(0)}]`, "the BINARY_ACK header", { payload: P.eventEchoed });
      await expectAttachments(ctx, s, [A], "the attachment of the BINARY_ACK");
    }),
  },
  {
    id: "sio5.binary.ack-to-server",
    title: "A BINARY_ACK from the client reaches the application with its bytes",
    rules: ["SIO5-ACK-09", "SIO5-ACK-10", "SIO5-BINARY-05", "SIO5-ACK-07"],
    level: "MUST",
    requires: ["socketio-echo", "binary"],
    run: onJoined("websocket", async (ctx, s) => {
      const id = await serverAsks(s, ["bin"]);
      s.send(`461-${id}["ok",${ph(0)}]`, B);
      const back = await needs(P.ackDelivered, () => s.nextEvent("ack-back", "/", { what: "the ack-back event" }));
      judgePacket(ctx, s, back.text.text, `451-["ack-back","ok",${ph(0)}]`, "the ack-back event", {
        payload: P.ackDelivered,
      });
      ctx.deepEqual(back.attachments, [B], "the attachment of the ack-back event");
    }),
  },
  {
    id: "sio5.binary.placeholder-in-event",
    title: "A placeholder-shaped object in a plain EVENT is data: echoed unchanged",
    rules: ["SIO5-BINARY-06"],
    level: "MUST",
    requires: ["socketio-echo"],
    run: onJoined("websocket", async (ctx, s) => {
      s.send(`42["message",${ph(0)}]`);
      await expectPacket(ctx, s, `42["message-back",${ph(0)}]`, "the echo");
    }),
  },
  {
    id: "sio5.binary.num-out-of-range",
    title: "A placeholder whose num is not below the attachment count closes the session",
    rules: ["SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio", "binary"],
    run: violation([`451-["message",${ph(1)}]`, A], "placeholder num 1 with one attachment"),
  },
  {
    id: "sio5.binary.duplicate-num",
    title: "Two placeholders with the same num close the session (the official server accepts them: warning)",
    rules: ["SIO5-BINARY-12", "SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio", "binary"],
    run: violation([`452-["message",${ph(0)},${ph(0)}]`, A, B], "two placeholders with num 0"),
  },
  {
    id: "sio5.binary.text-while-pending",
    title: "A text message while attachments are awaited closes the session",
    rules: ["SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio-echo", "binary"],
    run: binaryViolation(
      [`452-["message",${ph(0)},${ph(1)}]`, A, '42["message","x"]'],
      "a text message between two attachments",
    ),
  },
  {
    id: "sio5.binary.unexpected-attachment",
    title: "A binary message with no binary packet before it closes the session",
    rules: ["SIO5-BINARY-04", "SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio-echo", "binary"],
    run: binaryViolation([A], "an attachment nobody announced"),
  },
  {
    id: "sio5.binary.unexpected-attachment-polling",
    title: "Over polling, a b record with no binary packet before it closes the session",
    rules: ["SIO5-BINARY-04", "SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio-echo", "binary", "polling"],
    run: binaryViolation([A], "an attachment nobody announced", "polling"),
  },
  {
    id: "sio5.binary.count-leading-zero",
    title:
      "An attachment count with a leading zero (4501-[...]) closes the session (the official server reads it as 1: warning)",
    rules: ["SIO5-BINARY-11", "SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio", "binary"],
    run: violation([`4501-["message",${ph(0)}]`, A], "the attachment count 01"),
  },
  {
    id: "sio5.binary.zero-count",
    title: "An attachment count of 0 (450-[...]) closes the session",
    rules: ["SIO5-PACKET-04"],
    level: "SHOULD",
    requires: ["socketio"],
    run: violation(['450-["message"]'], '450-["message"]'),
  },
]);
