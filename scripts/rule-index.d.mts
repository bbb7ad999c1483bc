// Types for rule-index.mjs, so TypeScript tests can import it.

/** One rule of the spec as parsed from its Markdown, with where it was found. */
export interface ParsedRule {
  id: string;
  level: string;
  /** `client` or `deployment` for a rule that does not bind the server. */
  scope?: string;
  /** Where the level comes from (the rule's `Provenance:` line). */
  provenance?: { kind: string; source: string };
  file: string;
  chapter: string;
  anchor: string;
  text: string;
  /** Other rule IDs the rule's paragraph or Note mentions. */
  refs: string[];
  /** The ID as written in the bold label, which must equal `id`. */
  headingId: string;
  /** 1-based line of the anchor in the file. */
  line: number;
}

export const LEVELS: readonly string[];
export const PROVENANCES: readonly string[];
export const SCOPES: readonly string[];
export function ruleIdPattern(): RegExp;
export function specFiles(root: string): string[];
export function parseSpecRules(markdown: string, file: string): ParsedRule[];
export function collectRules(root: string): ParsedRule[];
export function buildRuleIndex(root: string): Map<string, string>;
