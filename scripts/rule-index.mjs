// Placeholder until the spec lands: the rule index derived from spec/*.md.
export function buildRuleIndex() { return new Map(); }
