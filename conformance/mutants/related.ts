/**
 * Which rules the spec ties together: the same rule, or one whose paragraph or Note names the
 * other. A fault of one rule may make the cases of a related rule fail without breaking the
 * promise of one fault, one failure.
 */
import { rules } from "../generated/rules.js";

const RULE_REFS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(rules).map(([id, r]) => [id, r.refs]),
);

/**
 * Whether the spec ties rule `a` to rule `b`: the same rule, or either one's paragraph or Note
 * names the other.
 */
export function related(a: string, b: string): boolean {
  return a === b || (RULE_REFS[a]?.includes(b) ?? false) || (RULE_REFS[b]?.includes(a) ?? false);
}
