/**
 * Rule lookup for reporters: a case cites rule IDs, a reader wants the rule's words next to
 * the verdict. The table is generated from spec/; a cited ID that is missing from it (a spec
 * still being written, a report made by another version) is shown as "not in this spec" rather
 * than failing the report.
 */
import { rules } from "../generated/rules.js";

/** What a reporter shows about one rule. */
export interface RuleInfo {
  level: string;
  /** Spec file relative to the repository root, e.g. `spec/engine.io-v4.md`. */
  file: string;
  chapter: string;
  text: string;
}

/** Finds a rule's text; a function so tests and other tools can supply their own table. */
export type RuleLookup = (id: string) => RuleInfo | undefined;

const table = rules as unknown as Readonly<Record<string, RuleInfo | undefined>>;

/** Looks a rule up in the generated index of spec/. */
export const specRule: RuleLookup = (id) => (Object.hasOwn(table, id) ? table[id] : undefined);

/** The relative link to a rule's anchor in the spec, e.g. `spec/engine.io-v4.md#EIO4-WS-02`. */
export function ruleHref(id: string, info: RuleInfo | undefined): string | undefined {
  if (!info) return undefined;
  const file = info.file.startsWith("spec/") ? info.file : `spec/${info.file}`;
  return `${file}#${id}`;
}
