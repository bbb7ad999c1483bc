/**
 * The landing page: what sockspec is in two sentences, then a door for each kind of reader
 * (server implementers, application developers, readers of the spec), and the numbers that
 * say where the project stands, all computed at build time.
 */
import { sumCoverage } from "../coverage.js";
import { fence, frontMatter, link, percent, plural, text } from "../markdown.js";
import {
  CASE_INDEX,
  CHANGELOG,
  LANDING,
  MATRIX,
  relativeLink,
  RESULTS,
  SCHEMA_INDEX,
  specPage,
  SPEC_INDEX,
} from "../paths.js";
import type { Site } from "../site.js";
import type { CopiedDoc } from "./guides.js";
import { serverAnchor } from "./anchors.js";

/** The landing page. `guides` are looked up by their file name to link them. */
export function landingPage(site: Site, guides: readonly CopiedDoc[]): string {
  const page = LANDING.md;
  const to = (md: string, anchor?: string) => relativeLink(page, md, anchor);
  const guide = (name: string, label: string) => {
    const g = guides.find((x) => x.md.endsWith(`/${name}.md`));
    return g ? link(label, to(g.md)) : label;
  };
  /** A list item for a guide, or nothing while that guide is not written (codegen's, for one). */
  const guideItem = (name: string, label: string, rest = "") =>
    guides.some((x) => x.md.endsWith(`/${name}.md`)) ? [`- ${guide(name, label)}${rest}`] : [];
  const all = sumCoverage(site.coverage);
  const levels = (l: string) => [...site.rules.values()].filter((r) => r.level === l).length;
  const serverLines = site.runs.map((run) => {
    const s = run.report.summary;
    return `- ${link(text(run.title), to(RESULTS.md, serverAnchor(run.key)))} (${run.date}): ${s.pass} pass, ${s.info} info, ${s.fail} fail, ${s.warn} warn, ${s.blocked} blocked, ${s.skip} skip, ${s.error} error of ${s.total}`;
  });
  return [
    frontMatter({ title: "sockspec" }),
    "# sockspec",
    "",
    "A precise, testable reference for the realtime protocols that Socket.IO speaks: **Engine.IO** (v4, and the older v3) below —",
    "the long-polling handshake, the upgrade to WebSocket, heartbeats and drop detection — and **Socket.IO** (v5, and v4) above —",
    "namespaces, events, acknowledgements and binary attachments. A normative spec with a stable ID on every rule, JSON Schemas for",
    "every packet, a conformance suite that judges any server over the wire, and a reference server that passes it.",
    "",
    `<div class="ss-doors">`,
    "",
    `<div class="ss-door">`,
    "",
    "### I implement a server",
    "",
    `Point the suite at it: every case cites the rule it checks and shows the wire transcript when it fails.`,
    "",
    fence("npx sockspec test http://localhost:3000", "sh"),
    "",
    `- ${guide("run-the-suite", "Run the suite against your server")}, with ${guide("echo-contract", "the echo contract")} it needs`,
    `- ${guide("ci", "Use it in CI")}: JUnit, JSON, exit codes, expectations`,
    `- ${link("The case catalogue", to(CASE_INDEX.md))}: ${plural(site.cases.length, "case")}, each with the command that runs just it`,
    `- ${link("How real servers fare", to(RESULTS.md))}: the official Node server, python-socketio, the reference server`,
    "",
    "</div>",
    "",
    `<div class="ss-door">`,
    "",
    "### I build an app on Socket.IO",
    "",
    "Know what goes over the wire, and check your packets against the same schemas the suite uses.",
    "",
    `- ${link("The schema reference", to(SCHEMA_INDEX.md))}: every packet, with examples`,
    ...guideItem("codegen", "Generate typed clients and servers", " from a catalogue of your events"),
    ...guideItem("protocol-version", "Which protocol version does a server speak?"),
    ...guideItem("typed-packets", "Typed packets and validators", " from `sockspec/protocol`"),
    `- The API reference of the library's entry points: {@link "sockspec" | sockspec}, {@link "sockspec/protocol" | sockspec/protocol}, {@link "sockspec/reference" | sockspec/reference}, {@link "sockspec/conformance" | sockspec/conformance}`,
    "",
    "</div>",
    "",
    `<div class="ss-door">`,
    "",
    "### I read the spec",
    "",
    "RFC 2119 rules with stable IDs, each with its provenance and the cases that check it.",
    "",
    ...site.spec.map((f) => `- ${link(text(f.title), to(specPage(f.name).md))} (${plural(f.rules.length, "rule")})`),
    `- ${link("Rule × case matrix", to(MATRIX.md))} and ${link("the rule changelog", to(CHANGELOG.md))}`,
    "",
    "</div>",
    "",
    "</div>",
    "",
    "## Where things stand",
    "",
    `- ${link(plural(site.rules.size, "rule"), to(SPEC_INDEX.md))}: ${levels("MUST")} MUST, ${levels("SHOULD")} SHOULD, ${levels("MAY")} MAY.`,
    `- ${link(plural(site.cases.length, "case"), to(CASE_INDEX.md))} check ${all.covered} of the ${all.total} rules that bind a server (${percent(all.covered, all.total)}; MUST ${all.byLevel.MUST.covered}/${all.byLevel.MUST.total}); ${all.outOfScope} more bind only clients or deployments. ${link("Coverage per chapter", to(MATRIX.md))}.`,
    ...serverLines,
    "",
    `<span class="ss-note">Built ${site.builtAt.slice(0, 16).replace("T", " ")} UTC from sockspec ${text(site.version)}.</span>`,
    "",
  ].join("\n");
}
