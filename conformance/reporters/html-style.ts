/** The stylesheet inlined into the HTML report (no external fonts or images). */
export const HTML_STYLE = `
:root {
  --fg: #1f2328; --muted: #656d76; --line: #d0d7de; --bg: #ffffff; --panel: #f6f8fa;
  --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --info: #0969da; --skip: #6e7781; --blocked: #57606a; --error: #8250df;
  --req: #0969da; --res: #1a7f37; --ws: #8250df; --bad: #cf222e; --close: #57606a;
  --mono: ui-monospace, SFMono-Regular, "DejaVu Sans Mono", Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
header { position: sticky; top: 0; z-index: 2; background: var(--bg); border-bottom: 1px solid var(--line); padding: 12px 24px 10px; }
h1 { font-size: 18px; margin: 0; display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
h1 .target { font-family: var(--mono); font-weight: 500; font-size: 15px; color: var(--info); overflow-wrap: anywhere; }
.runinfo { color: var(--muted); font-size: 12px; margin: 2px 0 8px; overflow-wrap: anywhere; }
.bar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.chip { border: 1px solid var(--line); background: var(--panel); border-radius: 999px; padding: 2px 10px; cursor: pointer; font: inherit; display: inline-flex; gap: 6px; align-items: baseline; }
.chip .n { font-weight: 700; font-variant-numeric: tabular-nums; }
.chip[aria-pressed="false"] { opacity: .4; text-decoration: line-through; }
.chip.v-pass .n { color: var(--pass); } .chip.v-fail .n { color: var(--fail); } .chip.v-warn .n { color: var(--warn); }
.chip.v-info .n { color: var(--info); } .chip.v-skip .n { color: var(--skip); } .chip.v-error .n { color: var(--error); } .chip.v-blocked .n { color: var(--blocked); }
select, input[type=search] { font: inherit; padding: 3px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
input[type=search] { min-width: 220px; }
.shown { color: var(--muted); font-size: 12px; margin-left: auto; }
main { padding: 8px 24px 40px; max-width: 1200px; }
section.chapter h2 { font-size: 15px; margin: 18px 0 6px; display: flex; gap: 12px; align-items: baseline; }
section.chapter h2 .tally { color: var(--muted); font-weight: 400; font-size: 12px; }
details.case { border: 1px solid var(--line); border-left: 4px solid var(--skip); border-radius: 6px; margin: 4px 0; background: var(--bg); }
details.case.v-pass { border-left-color: var(--pass); } details.case.v-fail { border-left-color: var(--fail); }
details.case.v-warn { border-left-color: var(--warn); } details.case.v-info { border-left-color: var(--info); }
details.case.v-error { border-left-color: var(--error); }
details.case > summary { cursor: pointer; padding: 6px 10px; display: flex; gap: 10px; align-items: baseline; list-style: none; }
details.case > summary::-webkit-details-marker { display: none; }
details.case > summary::before { content: "\\25B8"; color: var(--muted); width: 10px; }
details.case[open] > summary::before { content: "\\25BE"; }
details.case[open] > summary { border-bottom: 1px solid var(--line); background: var(--panel); }
.sym { font-weight: 700; width: 14px; text-align: center; }
.verdict { font-size: 11px; text-transform: uppercase; font-weight: 700; letter-spacing: .03em; width: 42px; }
.v-pass .sym, .v-pass .verdict { color: var(--pass); } .v-fail .sym, .v-fail .verdict { color: var(--fail); }
.v-warn .sym, .v-warn .verdict { color: var(--warn); } .v-info .sym, .v-info .verdict { color: var(--info); }
.v-skip .sym, .v-skip .verdict { color: var(--skip); } .v-error .sym, .v-error .verdict { color: var(--error); }
.v-blocked .sym, .v-blocked .verdict { color: var(--blocked); } details.case.v-blocked { border-left-color: var(--blocked); }
.blocked-by, ul.blocks, .docs-link { margin: 4px 0; } .docs-link a { overflow-wrap: anywhere; } .case-link { font-family: ui-monospace, monospace; }
.cid { font-family: var(--mono); font-size: 13px; white-space: nowrap; }
.title { flex: 1 1 auto; min-width: 0; }
.why { color: var(--muted); font-size: 12px; max-width: 40%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.dur { color: var(--muted); font-size: 12px; font-variant-numeric: tabular-nums; white-space: nowrap; }
.case-body { padding: 10px 14px 14px; }
.meta { display: flex; gap: 6px; flex-wrap: wrap; }
.tag { background: var(--panel); border: 1px solid var(--line); border-radius: 4px; padding: 0 6px; font-size: 12px; color: var(--muted); }
.tag.exp { color: var(--warn); border-color: var(--warn); }
.reason { margin: 8px 0; font-weight: 600; white-space: pre-wrap; overflow-wrap: anywhere; }
ul.rules { list-style: none; padding: 0; margin: 8px 0; }
ul.rules li { margin: 4px 0; display: flex; gap: 8px; align-items: baseline; }
.rule-id { font-family: var(--mono); font-size: 12px; white-space: nowrap; }
.lvl { font-size: 11px; font-weight: 700; color: var(--muted); }
.rule-text code { font: 12px var(--mono); background: var(--panel); border: 1px solid var(--line); border-radius: 3px; padding: 0 3px; }
.rule-text.missing { color: var(--muted); font-style: italic; }
.eo { display: grid; grid-template-columns: 80px 1fr; gap: 2px 10px; margin: 10px 0; padding: 8px 10px; background: var(--panel); border-radius: 6px; }
.eo .k { color: var(--muted); font-size: 12px; }
.eo .v { font-family: var(--mono); font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
.eo .v.exp { color: var(--pass); } .eo .v.obs { color: var(--fail); }
h4 { margin: 14px 0 6px; font-size: 13px; }
.empty { color: var(--muted); }
/* Sequence diagram: a time column, then a lane with two lifelines (client at 8%, server at 92%). */
.seq { border: 1px solid var(--line); border-radius: 6px; overflow: hidden; }
.seq .row { display: grid; grid-template-columns: 78px 1fr; min-height: 28px; }
.seq .t { font: 11px var(--mono); color: var(--muted); padding: 6px 6px 0 0; text-align: right; border-right: 1px solid var(--line); background: var(--panel); font-variant-numeric: tabular-nums; }
.seq .lane { position: relative; padding: 4px 0; background:
  linear-gradient(#8c959f, #8c959f) 8% 0 / 2px 100% no-repeat,
  linear-gradient(#8c959f, #8c959f) 92% 0 / 2px 100% no-repeat; min-width: 0; }
.seq .heads .lane { display: flex; justify-content: space-between; background: var(--panel); padding: 6px 0; border-bottom: 1px solid var(--line); }
.seq .heads .t { padding-top: 8px; border-bottom: 1px solid var(--line); }
.who { font-weight: 700; font-size: 12px; width: 16%; text-align: center; }
.arrow { margin: 0 8% 0 8%; padding: 0 10px; min-width: 0; }
.arrow .label { display: flex; gap: 8px; align-items: baseline; font: 12px var(--mono); white-space: nowrap; overflow: hidden; }
.msg.in .arrow .label { justify-content: flex-end; }
.arrow .what { overflow: hidden; text-overflow: ellipsis; }
.conn { font: 10px var(--mono); color: var(--muted); border: 1px solid var(--line); border-radius: 3px; padding: 0 3px; background: var(--bg); }
.arrow .line { position: relative; height: 2px; margin: 3px -10px 2px; background: currentColor; }
.msg.out .arrow .line::after, .msg.in .arrow .line::after { content: ""; position: absolute; top: -4px; border: 5px solid transparent; }
.msg.out .arrow .line::after { right: -2px; border-left: 8px solid currentColor; border-right-width: 0; }
.msg.in .arrow .line::after { left: -2px; border-right: 8px solid currentColor; border-left-width: 0; }
.tone-req .arrow { color: var(--req); } .tone-res .arrow { color: var(--res); } .tone-ws .arrow { color: var(--ws); }
.tone-bad .arrow { color: var(--bad); } .tone-close .arrow { color: var(--close); }
.arrow .body, .arrow .headers { color: var(--fg); }
.body { font: 11.5px var(--mono); white-space: pre-wrap; overflow-wrap: anywhere; background: var(--panel); border-radius: 4px; padding: 2px 6px; margin: 2px 0; max-height: 400px; overflow: auto; }
.msg.in .body { margin-left: 15%; } .msg.out .body { margin-right: 15%; }
.body.bin { color: var(--ws); }
button.more { font: 11px system-ui, sans-serif; margin-left: 6px; border: 1px solid var(--line); background: var(--bg); border-radius: 4px; cursor: pointer; color: var(--info); }
details.headers { font-size: 11px; margin: 1px 0; }
.msg.in details.headers { text-align: right; }
details.headers summary { cursor: pointer; color: var(--muted); }
details.headers pre { text-align: left; font: 11px var(--mono); background: var(--panel); padding: 4px 6px; margin: 2px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.full .fullbox { margin: 2px 8%; padding: 3px 10px; border-radius: 4px; font-size: 12px; text-align: center; overflow-wrap: anywhere; }
.note .fullbox { background: #fff8c5; border: 1px dashed #d4a72c; font-style: italic; }
.tcp .fullbox { background: #ffebe9; border: 1px solid #ff8182; font: 12px var(--mono); }
.tcp-connect .fullbox { background: #ddf4ff; border-color: #54aeff; }
.tcp .ev { font-weight: 700; margin-left: 6px; }
.cc { font: 10px var(--mono); color: #57606a; background: #eaeef2; border: 1px solid #d0d7de; border-radius: 3px; padding: 0 2px; margin: 0 1px; }
noscript { display: block; padding: 24px; }
`;
