/**
 * Where a JSON pointer lands in a JSON text, as a line and column, so that a problem in a
 * catalogue can be shown as `chat.json:12:7` next to its pointer. A small scanner over text that
 * JSON.parse has already accepted: it only has to find starts, not to judge.
 */
import { childPointer } from "./pointer.js";

/** A 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/** The line and column of a 0-based offset. */
export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Offsets of every value of a (valid) JSON text by pointer. An object member points at its key,
 * which is where a reader looks for it.
 */
export function pointerOffsets(text: string): Map<string, number> {
  const offsets = new Map<string, number>();
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\n" || text[i] === "\r" || text[i] === "\t")) i++;
  };
  const readString = (): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++; // closing quote
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (ptr: string, at: number): void => {
    skipSpace();
    if (!offsets.has(ptr)) offsets.set(ptr, at < 0 ? i : at);
    const c = text[i];
    if (c === "{") {
      i++;
      skipSpace();
      if (text[i] === "}") return void i++;
      for (;;) {
        skipSpace();
        const keyAt = i;
        const key = readString();
        skipSpace();
        i++; // colon
        value(childPointer(ptr, key), keyAt);
        skipSpace();
        if (text[i++] === "}") return;
      }
    }
    if (c === "[") {
      i++;
      skipSpace();
      if (text[i] === "]") return void i++;
      for (let index = 0; ; index++) {
        value(childPointer(ptr, index), -1);
        skipSpace();
        if (text[i++] === "]") return;
      }
    }
    if (c === '"') return void readString();
    while (i < text.length && !",]} \n\r\t".includes(text[i]!)) i++;
  };
  value("", -1);
  return offsets;
}

/** The position of `ptr` in `text`, or of its nearest ancestor that exists there. */
export function locate(
  text: string,
  ptr: string,
  offsets: Map<string, number> = pointerOffsets(text),
): Position | undefined {
  for (let p = ptr; ; p = p.slice(0, p.lastIndexOf("/"))) {
    const offset = offsets.get(p);
    if (offset !== undefined) return positionAt(text, offset);
    if (p === "") return undefined;
  }
}

/**
 * Where a JSON text stops being JSON: the offset of the first character a strict parser cannot
 * accept (the text's length when it ends too early). Node's own messages do not always say.
 */
export function syntaxErrorOffset(text: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const space = () => {
    while (i < text.length && " \t\r\n".includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    for (const c of word) {
      if (text[i] !== c) fail();
      i++;
    }
  };
  const string = () => {
    if (text[i] !== '"') fail();
    for (i++; i < text.length && text[i] !== '"'; i++) {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === "\\") i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i));
    if (!m || m[0] === "" || m[0] === "-") fail();
    i += m![0].length;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === "{") {
      i++;
      space();
      if (text[i] === "}") return void i++;
      for (;;) {
        space();
        string();
        space();
        if (text[i] !== ":") fail();
        i++;
        value();
        space();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return void i++;
        else fail();
      }
    }
    if (c === "[") {
      i++;
      space();
      if (text[i] === "]") return void i++;
      for (;;) {
        value();
        space();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === "t") return literal("true");
    if (c === "f") return literal("false");
    if (c === "n") return literal("null");
    number();
  };
  try {
    value();
    space();
    return i < text.length ? i : undefined;
  } catch (at) {
    if (typeof at === "number") return Math.min(at, text.length);
    throw at;
  }
}

/** The position of a JSON syntax error: the one JSON.parse names, or the one a strict scan finds. */
export function parseErrorPosition(text: string, error: Error): Position | undefined {
  const lineColumn = /line (\d+) column (\d+)/.exec(error.message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const offset = /at position (\d+)/.exec(error.message);
  if (offset) return positionAt(text, Number(offset[1]));
  const found = syntaxErrorOffset(text);
  return found === undefined ? undefined : positionAt(text, found);
}
