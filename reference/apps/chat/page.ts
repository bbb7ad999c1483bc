/**
 * The chat page and its script, kept as strings so they ship inside the build with no copy
 * step. The page is the chat of Socket.IO's own tutorial: a message list, a form, every
 * message broadcast to everyone. It also shows the live transport (`polling`, then
 * `websocket` once the upgrade is done) and honours `?transports=polling` to stay on
 * long-polling, so a browser test can check the chat without WebSocket.
 *
 * The script is an ES module: it talks to the server through the code generated from the
 * chat's catalogue (`/generated/client.js`), which checks every event the server sends and
 * every message the page sends, and asks for the latest messages with a typed request.
 */

/** GET / */
export const CHAT_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sockspec chat</title>
<style>
  :root { color-scheme: light dark; --accent: #2f6fed; --muted: #8a8f98; --line: rgba(128,128,128,.25); }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; display: flex; flex-direction: column; height: 100vh; }
  header { display: flex; align-items: center; justify-content: space-between; padding: .6rem 1rem; border-bottom: 1px solid var(--line); }
  header h1 { font-size: 1rem; margin: 0; }
  .status { font-size: .85rem; color: var(--muted); }
  .badge { display: inline-block; padding: .1rem .5rem; border-radius: 999px; border: 1px solid var(--line); font-family: ui-monospace, monospace; }
  .badge[data-transport="websocket"] { border-color: var(--accent); color: var(--accent); }
  #messages { list-style: none; margin: 0; padding: 0; flex: 1; overflow-y: auto; }
  #messages li { padding: .5rem 1rem; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
  #messages li:nth-child(odd) { background: rgba(128,128,128,.06); }
  form { display: flex; gap: .5rem; padding: .6rem; border-top: 1px solid var(--line); }
  #input { flex: 1; padding: .55rem .8rem; border: 1px solid var(--line); border-radius: 999px; font: inherit; background: transparent; color: inherit; }
  #input:focus { outline: 2px solid var(--accent); outline-offset: 1px; }
  button { padding: .55rem 1.1rem; border: 0; border-radius: 999px; background: var(--accent); color: #fff; font: inherit; cursor: pointer; }
  button:disabled { opacity: .5; cursor: default; }
</style>
</head>
<body>
<header>
  <h1>sockspec chat</h1>
  <div class="status">
    <span id="state">connecting</span>
    &middot; transport <span id="transport" class="badge">none</span>
  </div>
</header>
<ul id="messages" aria-live="polite"></ul>
<form id="form" autocomplete="off">
  <input id="input" maxlength="1000" placeholder="Type a message" aria-label="Message">
  <button id="send" type="submit" disabled>Send</button>
</form>
<script src="/socket.io.min.js"></script>
<script type="module" src="/chat.js"></script>
</body>
</html>
`;

/** GET /chat.js: an ES module, run in the browser with the official client's global `io`. */
export const CHAT_JS = `import { wrap } from "/generated/client.js";

const params = new URLSearchParams(location.search);
const options = {};
const only = params.get("transports");
if (only) options.transports = only.split(",").filter(Boolean);
const socket = io(options);
// The generated client: only events the catalogue allows reach the page, and only valid messages leave it.
const chat = wrap("/", socket, { onInvalid: (error) => console.warn(error.message) });

const messages = document.getElementById("messages");
const form = document.getElementById("form");
const input = document.getElementById("input");
const send = document.getElementById("send");
const state = document.getElementById("state");
const transport = document.getElementById("transport");

function showTransport(name) {
  transport.textContent = name;
  transport.dataset.transport = name;
}

function item(text) {
  const li = document.createElement("li");
  li.textContent = text;
  return li;
}

// A new engine comes with every (re)connection; the badge follows its transport.
socket.io.on("open", () => {
  const engine = socket.io.engine;
  showTransport(engine.transport.name);
  engine.on("upgrade", (t) => showTransport(t.name));
});
socket.on("connect", async () => {
  state.textContent = "connected";
  send.disabled = false;
  // The latest messages first; the page counts as connected once they are shown.
  try {
    const latest = await chat.request("history", { timeout: 5000 });
    messages.replaceChildren(...latest.map(item));
    messages.scrollTop = messages.scrollHeight;
  } catch (error) {
    console.warn("no history:", error.message);
  }
  document.body.dataset.connected = "true";
});
socket.on("disconnect", () => {
  state.textContent = "disconnected";
  document.body.dataset.connected = "false";
  send.disabled = true;
});

form.addEventListener("submit", (e) => {
  e.preventDefault();
  if (!input.value) return;
  // emit checks the message against the catalogue first (at most 1000 characters).
  if (chat.emit("chat message", input.value)) input.value = "";
});

chat.on("chat message", (text) => {
  messages.appendChild(item(text));
  messages.scrollTop = messages.scrollHeight;
});
`;
