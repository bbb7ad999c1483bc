/**
 * Terminal styling for the pretty reporter: verdict symbols and ANSI colours, switched off
 * when the stream is not a terminal or NO_COLOR is set (https://no-color.org), so CI logs stay
 * plain text.
 */
import type { Verdict } from "./types.js";

/** Wraps text in one ANSI style, or returns it unchanged when colour is off. */
export type Paint = (text: string) => string;

/** The styles the pretty reporter uses. */
export interface Palette {
  red: Paint;
  green: Paint;
  yellow: Paint;
  cyan: Paint;
  magenta: Paint;
  blue: Paint;
  dim: Paint;
  bold: Paint;
}

const ansi =
  (open: number, close: number): Paint =>
  (t) =>
    `\x1b[${open}m${t}\x1b[${close}m`;
const plain: Paint = (t) => t;

/** A palette that colours, or one that does nothing. */
export function palette(color: boolean): Palette {
  if (!color)
    return {
      red: plain,
      green: plain,
      yellow: plain,
      cyan: plain,
      magenta: plain,
      blue: plain,
      dim: plain,
      bold: plain,
    };
  return {
    red: ansi(31, 39),
    green: ansi(32, 39),
    yellow: ansi(33, 39),
    cyan: ansi(36, 39),
    magenta: ansi(35, 39),
    blue: ansi(34, 39),
    dim: ansi(2, 22),
    bold: ansi(1, 22),
  };
}

/** Whether to colour output written to `stream`. */
export function wantsColor(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): boolean {
  const noColor = env["NO_COLOR"];
  if (noColor !== undefined && noColor !== "") return false;
  return isTTY(stream);
}

/** Whether `stream` is an interactive terminal. */
export function isTTY(stream: NodeJS.WritableStream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

/** The symbol of a verdict, `?` for one this version does not know. */
export function symbolOf(v: string): string {
  return Object.hasOwn(SYMBOL, v) ? SYMBOL[v as Verdict] : "?";
}

/** One symbol per verdict, readable without colour too. */
export const SYMBOL: Record<Verdict, string> = {
  pass: "✓",
  fail: "✗",
  warn: "!",
  info: "i",
  skip: "-",
  blocked: "⊘",
  error: "E",
};

/** The colour of each verdict. */
export function verdictPaint(p: Palette, v: Verdict): Paint {
  switch (v) {
    case "pass":
      return p.green;
    case "fail":
      return p.red;
    case "warn":
      return p.yellow;
    case "info":
      return p.cyan;
    case "skip":
      return p.dim;
    case "blocked":
      return p.blue;
    case "error":
      return p.magenta;
    default:
      return p.magenta; // a verdict from a newer schema: show it, don't crash
  }
}

/** Removes ANSI escape sequences (for tests and width computations). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
}
