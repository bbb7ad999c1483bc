/**
 * The script inlined into the HTML report. It reads the report from the
 * <script type="application/json"> block and builds the page with DOM calls. Every piece of
 * report data reaches the page through textContent, an attribute set with setAttribute, or a
 * CSS class picked from a fixed list, never as markup, so bytes from the server under test
 * cannot inject elements or script. Plain ES2017 in a string, so that no build step or bundler
 * helper leaks into it.
 */
export const HTML_SCRIPT = String.raw`"use strict";
(function () {
  var VERDICTS = ["pass", "fail", "warn", "info", "skip", "blocked", "error"];
  var SYMBOL = { pass: "\u2713", fail: "\u2717", warn: "!", info: "i", skip: "\u2013", blocked: "\u2298", error: "E" };
  var PREVIEW = 240;
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var report = data.report;
  var rules = data.rules || {};
  var docs = data.docs || {};

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) if (arguments[i]) parent.appendChild(arguments[i]);
    return parent;
  }
  function oneOf(value, list, fallback) {
    return list.indexOf(value) >= 0 ? value : fallback;
  }
  // Control characters become small "\x1e" badges: the v4 record separator must stand out, and
  // a badge does not depend on the reader having a font with the Control Pictures block.
  function isControl(c) {
    return c < 0x20 || c === 0x7f;
  }
  function vis(s) {
    s = String(s);
    var frag = document.createDocumentFragment();
    var start = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (!isControl(c)) continue;
      if (i > start) frag.appendChild(document.createTextNode(s.slice(start, i)));
      frag.appendChild(el("span", "cc", "\\x" + (c < 16 ? "0" : "") + c.toString(16)));
      start = i + 1;
    }
    if (start < s.length) frag.appendChild(document.createTextNode(s.slice(start)));
    return frag;
  }
  // Like el(), for report data whose control characters must show.
  function elv(tag, cls, text) {
    var e = el(tag, cls);
    e.appendChild(vis(text));
    return e;
  }
  function visible(s) {
    s = String(s);
    var out = "";
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      out += isControl(c) ? "\\x" + (c < 16 ? "0" : "") + c.toString(16) : s.charAt(i);
    }
    return out;
  }
  // Rule text is Markdown: its code spans (between backticks) become <code> elements, as text.
  function ruleText(text) {
    var span = el("span", "rule-text");
    var parts = String(text).split("\u0060");
    if (parts.length % 2 === 0) parts = [String(text)];
    for (var i = 0; i < parts.length; i++) {
      if (i % 2) span.appendChild(el("code", null, parts[i]));
      else if (parts[i]) span.appendChild(document.createTextNode(parts[i]));
    }
    return span;
  }
  // Cuts at n without splitting a surrogate pair.
  function cut(s, n) {
    var c = s.charCodeAt(n - 1);
    return s.slice(0, c >= 0xd800 && c <= 0xdbff ? n - 1 : n);
  }
  function fmtMs(ms) {
    return ms >= 1000 ? (ms / 1000).toFixed(2) + " s" : Math.round(ms) + " ms";
  }
  function bytesOf(b64) {
    try {
      var bin = atob(b64);
      var bytes = new Array(bin.length);
      for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      return bytes;
    } catch (e) {
      return null;
    }
  }
  function hex(bytes, max) {
    var parts = [];
    for (var i = 0; i < Math.min(bytes.length, max); i++) parts.push((bytes[i] < 16 ? "0" : "") + bytes[i].toString(16));
    return parts.join(" ");
  }

  // A body: a preview, and a button that shows the whole of it when it is long.
  function bodyBlock(text, b64) {
    var full, label;
    if (typeof b64 === "string") {
      var bytes = bytesOf(b64);
      if (!bytes) return el("div", "body", "(undecodable base64)");
      label = "binary, " + bytes.length + " bytes";
      full = label + ": " + hex(bytes, bytes.length);
      text = label + ": " + hex(bytes, 48) + (bytes.length > 48 ? " \u2026" : "");
      if (bytes.length <= 48) return el("div", "body bin", text);
      return expander(text, full, "bin");
    }
    if (typeof text !== "string" || text === "") return null;
    if (text.length <= PREVIEW) return elv("div", "body", text);
    return expander(cut(text, PREVIEW) + " \u2026", text, "");
  }
  function expander(short, full, cls) {
    var box = el("div", "body " + cls);
    var span = elv("span", null, short);
    var btn = el("button", "more", "show all (" + full.length + " chars)");
    btn.type = "button";
    btn.addEventListener("click", function () {
      var open = btn.getAttribute("aria-expanded") === "true";
      span.textContent = "";
      span.appendChild(vis(open ? short : full));
      btn.textContent = open ? "show all (" + full.length + " chars)" : "show less";
      btn.setAttribute("aria-expanded", open ? "false" : "true");
    });
    return add(box, span, btn);
  }
  function headersBlock(headers) {
    if (!headers) return null;
    var names = Object.keys(headers);
    if (!names.length) return null;
    var d = el("details", "headers");
    add(d, el("summary", null, names.length + (names.length === 1 ? " header" : " headers")));
    var pre = el("pre");
    pre.textContent = names.map(function (n) { return n + ": " + visible(headers[n]); }).join("\n");
    return add(d, pre);
  }

  // One transcript event as one row of the sequence diagram.
  function row(ev) {
    var r = el("div", "row");
    add(r, el("div", "t", "+" + Number(ev.t || 0).toFixed(1) + " ms"));
    var lane = el("div", "lane");
    r.appendChild(lane);
    var kind = ev.kind;
    if (kind === "note" || kind === "tcp") {
      r.className += " full " + (kind === "note" ? "note" : "tcp tcp-" + oneOf(ev.event, ["connect", "fin", "rst", "blackhole", "silence", "error"], "error"));
      var box = el("div", "fullbox");
      if (kind === "note") add(box, elv("span", null, ev.text));
      else add(box, el("span", "conn", ev.conn), el("span", "ev", "TCP " + ev.event), ev.detail ? el("span", null, " " + visible(ev.detail)) : null);
      lane.appendChild(box);
      return r;
    }
    var out = kind === "http-request" || ((kind === "ws-frame" || kind === "ws-close") && ev.dir === "out");
    var tone = "req";
    var label = "";
    var details = [];
    if (kind === "http-request") {
      label = ev.method + " " + ev.url;
      details.push(headersBlock(ev.headers), bodyBlock(ev.body, ev.bodyBase64));
    } else if (kind === "http-response") {
      tone = ev.status >= 400 ? "bad" : "res";
      var ct = ev.headers && ev.headers["content-type"];
      label = ev.status + (ct ? " " + ct : "");
      details.push(headersBlock(ev.headers), bodyBlock(ev.body, ev.bodyBase64));
    } else if (kind === "ws-open") {
      tone = ev.status === 101 ? "res" : "bad";
      label = "WebSocket open " + (ev.status === undefined ? "(no status)" : ev.status);
      details.push(elv("div", "body", ev.url));
    } else if (kind === "ws-frame") {
      tone = "ws";
      label = ev.opcode + " frame";
      details.push(bodyBlock(ev.data, ev.dataBase64));
    } else if (kind === "ws-close") {
      tone = "close";
      label = "close " + (ev.code === undefined ? "(no code)" : ev.code) + (ev.reason ? " \u201c" + visible(ev.reason) + "\u201d" : "");
    } else {
      label = "unknown event " + kind;
    }
    r.className += " msg " + (out ? "out" : "in") + " tone-" + tone;
    var arrow = el("div", "arrow");
    var head = el("div", "label");
    add(head, el("span", "conn", ev.conn), el("span", "what", visible(label)));
    add(arrow, head, el("div", "line"));
    for (var i = 0; i < details.length; i++) if (details[i]) arrow.appendChild(details[i]);
    lane.appendChild(arrow);
    return r;
  }

  function diagram(events) {
    var seq = el("div", "seq");
    var h = el("div", "row heads");
    add(h, el("div", "t", "time"));
    add(h, add(el("div", "lane"), el("div", "who client", "client (sockspec)"), el("div", "who server", "server")));
    seq.appendChild(h);
    var rowsBox = el("div", "rows");
    for (var i = 0; i < events.length; i++) rowsBox.appendChild(row(events[i]));
    return add(seq, rowsBox);
  }

  function caseBody(c) {
    var b = el("div", "case-body");
    var meta = el("div", "meta");
    add(meta, el("span", "tag", c.level), el("span", "tag", c.chapter), el("span", "tag", fmtMs(c.durationMs)));
    if (c.expectation) meta.appendChild(el("span", "tag exp", c.expectation));
    b.appendChild(meta);
    if (c.reason) b.appendChild(elv("p", "reason", c.reason));
    // The case's page on the docs site: its rules in full and how real servers fare on it.
    if (Object.prototype.hasOwnProperty.call(docs, c.id)) {
      var dl = el("p", "docs-link", "Case page on the docs site: ");
      var da = el("a", null, docs[c.id]);
      da.setAttribute("href", docs[c.id]);
      da.setAttribute("rel", "noopener");
      b.appendChild(add(dl, da));
    }
    // A blocked case points at the case whose precondition broke; that case lists what it blocks.
    if (c.blockedBy) {
      var by = el("p", "blocked-by", "Blocked by ");
      add(by, caseLink(c.blockedBy.case), el("span", null, " (" + c.blockedBy.rule + ")"));
      b.appendChild(by);
    }
    var blocks = blockedUnder[c.id] || [];
    if (blocks.length) {
      b.appendChild(el("h4", null, "Blocks " + blocks.length + " case" + (blocks.length === 1 ? "" : "s")));
      var bl = el("ul", "blocks");
      blocks.forEach(function (id) { bl.appendChild(add(el("li"), caseLink(id))); });
      b.appendChild(bl);
    }
    if (c.rules && c.rules.length) {
      var ul = el("ul", "rules");
      c.rules.forEach(function (id) {
        var li = el("li");
        var rule = Object.prototype.hasOwnProperty.call(rules, id) ? rules[id] : null;
        if (rule && rule.href) {
          var a = el("a", "rule-id", id);
          a.setAttribute("href", rule.href);
          li.appendChild(a);
        } else li.appendChild(el("span", "rule-id", id));
        if (rule) add(li, el("span", "lvl", rule.level), ruleText(rule.text));
        else li.appendChild(el("span", "rule-text missing", "not in this spec"));
        ul.appendChild(li);
      });
      b.appendChild(ul);
    }
    if (c.expected !== undefined || c.observed !== undefined) {
      var eo = el("div", "eo");
      add(eo, el("div", "k", "expected"), elv("div", "v exp", c.expected === undefined ? "\u2014" : c.expected));
      add(eo, el("div", "k", "observed"), elv("div", "v obs", c.observed === undefined ? "\u2014" : c.observed));
      b.appendChild(eo);
    }
    var tr = c.transcript || [];
    b.appendChild(el("h4", null, "Transcript (" + tr.length + " events)"));
    b.appendChild(tr.length ? diagram(tr) : el("p", "empty", "Nothing crossed the wire."));
    return b;
  }

  function caseLink(id) {
    var a = el("a", "case-link", id);
    a.setAttribute("href", "#case-" + id);
    a.addEventListener("click", function () {
      var target = document.getElementById("case-" + id);
      if (target && target.tagName === "DETAILS") target.open = true;
    });
    return a;
  }

  function caseItem(c) {
    var v = oneOf(c.verdict, VERDICTS, "error");
    var d = el("details", "case v-" + v);
    d.setAttribute("id", "case-" + c.id);
    d.setAttribute("data-verdict", v);
    d.setAttribute("data-chapter", c.chapter);
    d._search = [c.id, c.title, c.chapter, c.reason || "", (c.rules || []).join(" ")].join(" ").toLowerCase();
    var s = el("summary");
    add(s, el("span", "sym", SYMBOL[v]), el("span", "verdict", v), el("span", "cid", c.id), el("span", "title", c.title));
    if (c.reason && v !== "pass") s.appendChild(el("span", "why", visible(c.reason)));
    s.appendChild(el("span", "dur", fmtMs(c.durationMs)));
    d.appendChild(s);
    // The body is built on first open: a report may hold thousands of transcript events.
    d.addEventListener("toggle", function () {
      if (d.open && !d._built) {
        d._built = true;
        d.appendChild(caseBody(c));
      }
    });
    return d;
  }

  // Header, summary and filters.
  var state = { verdicts: {}, chapter: "", text: "" };
  VERDICTS.forEach(function (v) { state.verdicts[v] = true; });
  var t = report.target || {};
  document.getElementById("target").textContent = String(t.url || "") + String(t.path || "");
  var info = [];
  if (report.tool) info.push("sockspec " + report.tool.version);
  if (report.startedAt) info.push(report.startedAt);
  info.push("wall time " + fmtMs(report.durationMs || 0));
  if (report.options && report.options.strict) info.push("strict");
  var obs = report.observed || {};
  ["pingInterval", "pingTimeout", "maxPayload"].forEach(function (k) { if (obs[k] !== undefined) info.push(k + " " + obs[k]); });
  var spoken = obs.protocols || {};
  [["eio4", "v4"], ["eio3", "v3"]].forEach(function (v) {
    if (spoken[v[0]] && spoken[v[0]].length) info.push("Engine.IO " + v[1] + " at " + spoken[v[0]].join(", "));
  });
  document.getElementById("runinfo").textContent = info.join(" \u00b7 ");

  var summary = document.getElementById("summary");
  var counts = report.summary || {};
  var chips = {};
  VERDICTS.forEach(function (v) {
    var b = el("button", "chip v-" + v);
    b.type = "button";
    b.setAttribute("aria-pressed", "true");
    b.setAttribute("data-verdict", v);
    b.title = "show or hide " + v;
    add(b, el("span", "n", counts[v] || 0), el("span", "l", v));
    b.addEventListener("click", function () {
      state.verdicts[v] = !state.verdicts[v];
      b.setAttribute("aria-pressed", state.verdicts[v] ? "true" : "false");
      apply();
    });
    chips[v] = b;
    summary.appendChild(b);
  });

  var cases = report.cases || [];
  // Blocked cases grouped under the case that checks their broken precondition (their root).
  var blockedUnder = {};
  cases.forEach(function (c) {
    if (c.verdict !== "blocked" || !c.blockedBy) return;
    var root = String(c.blockedBy.case);
    if (!Object.prototype.hasOwnProperty.call(blockedUnder, root)) blockedUnder[root] = [];
    blockedUnder[root].push(c.id);
  });
  var chapterSel = document.getElementById("chapter");
  var chapters = [];
  cases.forEach(function (c) { if (chapters.indexOf(c.chapter) < 0) chapters.push(c.chapter); });
  chapters.forEach(function (ch) {
    var o = el("option", null, ch);
    o.value = ch;
    chapterSel.appendChild(o);
  });
  chapterSel.addEventListener("change", function () { state.chapter = chapterSel.value; apply(); });
  var search = document.getElementById("search");
  search.addEventListener("input", function () { state.text = search.value.trim().toLowerCase(); apply(); });

  var main = document.getElementById("cases");
  var sections = [];
  chapters.forEach(function (ch) {
    var sec = el("section", "chapter");
    var items = cases.filter(function (c) { return c.chapter === ch; }).map(caseItem);
    var h = el("h2");
    var tally = {};
    items.forEach(function (d) { var v = d.getAttribute("data-verdict"); tally[v] = (tally[v] || 0) + 1; });
    add(h, el("span", null, ch), el("span", "tally", VERDICTS.filter(function (v) { return tally[v]; }).map(function (v) { return tally[v] + " " + v; }).join(" \u00b7 ")));
    sec.appendChild(h);
    items.forEach(function (d) { sec.appendChild(d); });
    sections.push({ el: sec, chapter: ch, items: items });
    main.appendChild(sec);
  });

  if (!cases.length) main.appendChild(el("p", "empty", "No case ran."));
  var shown = document.getElementById("shown");
  function apply() {
    var n = 0;
    sections.forEach(function (s) {
      var any = false;
      s.items.forEach(function (d) {
        var ok = state.verdicts[d.getAttribute("data-verdict")] &&
          (!state.chapter || state.chapter === s.chapter) &&
          (!state.text || d._search.indexOf(state.text) >= 0);
        d.hidden = !ok;
        if (ok) { any = true; n++; }
      });
      s.el.hidden = !any;
    });
    shown.textContent = n + " of " + cases.length + " cases shown";
  }
  apply();

  if (location.hash.length > 1) {
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.tagName === "DETAILS") target.open = true;
  }
})();
`;
