/**
 * What is wrong with a catalogue, said so that its author can go straight there: the file, the
 * line and column when the text is at hand, the JSON pointer, what was found and what was
 * expected.
 */
import type { Position } from "./locate.js";

/** One problem in a catalogue. */
export interface CatalogueProblem {
  /** The catalogue's file (or the label of where it came from). */
  file: string;
  /** JSON pointer to the offending value (or, for an unexpected property, to that property). */
  pointer: string;
  /** Where the pointer lands in the file's text, when known. */
  position?: Position | undefined;
  /** What is wrong. */
  message: string;
  /** What would have been right, when that can be said briefly. */
  expected?: string | undefined;
}

/** One line per problem: `chat.json:12:7 /namespaces/~1/... : message (expected: ...)`. */
export function formatProblem(problem: CatalogueProblem): string {
  const where = problem.position ? `${problem.file}:${problem.position.line}:${problem.position.column}` : problem.file;
  const expected = problem.expected ? ` (expected ${problem.expected})` : "";
  return `${where} ${problem.pointer || "/"}: ${problem.message}${expected}`;
}

/** A catalogue that cannot be used; `problems` lists every reason found. */
export class CatalogueError extends Error {
  readonly problems: readonly CatalogueProblem[];

  constructor(problems: readonly CatalogueProblem[]) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super(`invalid catalogue (${count}):\n${problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`);
    this.name = "CatalogueError";
    this.problems = problems;
  }
}
