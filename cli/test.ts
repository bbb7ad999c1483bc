/**
 * `sockspec test [url]`: runs the conformance suite against a server (no URL: against the
 * embedded reference server) and exits 0 (no unexpected result), 1 (failures, or a stale
 * known-failing entry) or 2 (usage error, bad expectations file, server unreachable).
 */
import { walkArgs } from "./argv.js";
import { allCases } from "../conformance/cases/index.js";
import { ExpectationsError } from "../conformance/expectations.js";
import { createReporter, DEFAULT_DOCS_BASE_URL } from "../conformance/reporters/index.js";
import { startEmbeddedServer, EMBEDDED_TIMINGS, type EmbeddedServer } from "../conformance/runner/embedded.js";
import { selectIds } from "../conformance/runner/glob.js";
import { jsonReporter } from "../conformance/runner/json-reporter.js";
import { lineReporter } from "../conformance/runner/line-reporter.js";
import type { Reporter } from "../conformance/runner/reporter.js";
import { exitStatus, runSuite, UnreachableError, type SuiteOptions } from "../conformance/runner/run.js";
import { ProtocolNotSpokenError, type ProtocolChoice, versionOf } from "../conformance/runner/versions.js";

const REPORTERS = ["pretty", "json", "junit", "html"];

export const testUsage = `Usage: sockspec test [url] [options]

Runs the conformance suite against the server at url (e.g. http://localhost:3000).
Without a url, starts the embedded reference server with the echo app and tests it.

Options:
  --path <path>               Socket.IO endpoint (default /socket.io/)
  --engine-path <path|none>   bare Engine.IO echo endpoint (default /engine.io/)
  --only <glob>               run only matching case IDs (repeatable; * within a segment, ** across)
  --skip <glob>               leave out matching case IDs (repeatable)
  --list                      print the selected case IDs and exit
  --strict                    a broken SHOULD fails the run
  --reporter <name>           pretty, json, junit or html (repeatable; default pretty and json)
  --out <dir>                 where report files go (default ./sockspec-report)
  --timeout-multiplier <n>    scale every protocol deadline and wait (default 1); the round-trip
                              time to the server, measured first, is added to each on top
  --concurrency <n>           instant cases run at once (default 8)
  --expectations <file>       known-failing and known-flaky cases (JSON)
  --upgrade-timeout <ms>      the server's upgradeTimeout (not advertised); given, the upgrade
                              timeout is judged against it, otherwise reported as info
  --connect-timeout <ms>      the longest the runner waits for any one thing the server does
                              (after scaling and grace; default no limit): a case that would
                              wait longer, e.g. for a 25 s heartbeat, is skipped with the wait
                              it needed; one watching a timer of unknown length waits this long
  --protocol <eio4|eio3|all>  the Engine.IO versions to judge (default: every version the server
                              speaks, asked with EIO=4 and EIO=3 first); a version chosen that the
                              server does not speak ends the run with exit status 2
  --cors <on|off>             declare whether the server is configured for CORS instead of
                              letting the probe guess: with off, a server that sends CORS
                              headers anyway fails the CORS-off cases instead of skipping them
  --docs-url <url|none>       where reports link failing and blocked cases to their page
                              (default ${DEFAULT_DOCS_BASE_URL})
  -h, --help                  show this help

Exit status: 0 no unexpected result, 1 failures or stale expectations, 2 usage error or server unreachable.
`;

/** Parsed command line of `sockspec test`. */
export interface TestArgs {
  url?: string;
  path: string;
  enginePath: string | null;
  only: string[];
  skip: string[];
  list: boolean;
  strict: boolean;
  reporters: string[];
  out: string;
  timeoutMultiplier: number;
  concurrency: number;
  expectations?: string;
  upgradeTimeout?: number;
  connectTimeout?: number;
  /** --protocol: the versions to judge; undefined: every version the server speaks. */
  protocol?: ProtocolChoice;
  /** --cors: the server's declared CORS configuration, overriding what the probe sees. */
  cors?: "on" | "off";
  /** Base URL of the docs site the reports link to; false: no links. */
  docsUrl?: string | false;
  help: boolean;
}

/** Thrown for a command line that cannot be understood. */
export class UsageError extends Error {}

function positiveNumber(flag: string, text: string, integer: boolean): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new UsageError(`${flag} needs a positive ${integer ? "integer" : "number"}, got '${text}'`);
  return n;
}

/** Parses the arguments after `test`. */
export function parseTestArgs(argv: readonly string[]): TestArgs {
  const args: TestArgs = {
    path: "/socket.io/",
    enginePath: "/engine.io/",
    only: [],
    skip: [],
    list: false,
    strict: false,
    reporters: [],
    out: "sockspec-report",
    timeoutMultiplier: 1,
    concurrency: 8,
    help: false,
  };
  walkArgs(
    argv,
    (flag) => new UsageError(`${flag} needs a value`),
    (flag, value, raw) => {
      switch (flag) {
        case "-h":
        case "--help":
          args.help = true;
          break;
        case "--path":
          args.path = value();
          break;
        case "--engine-path": {
          const v = value();
          args.enginePath = v === "none" ? null : v;
          break;
        }
        case "--only":
          args.only.push(value());
          break;
        case "--skip":
          args.skip.push(value());
          break;
        case "--list":
          args.list = true;
          break;
        case "--strict":
          args.strict = true;
          break;
        case "--reporter":
          for (const name of value().split(",")) {
            if (!REPORTERS.includes(name))
              throw new UsageError(`unknown reporter '${name}' (one of ${REPORTERS.join(", ")})`);
            args.reporters.push(name);
          }
          break;
        case "--out":
          args.out = value();
          break;
        case "--timeout-multiplier":
          args.timeoutMultiplier = positiveNumber(flag, value(), false);
          break;
        case "--concurrency":
          args.concurrency = positiveNumber(flag, value(), true);
          break;
        case "--expectations":
          args.expectations = value();
          break;
        case "--upgrade-timeout":
          args.upgradeTimeout = positiveNumber(flag, value(), true);
          break;
        case "--connect-timeout":
          args.connectTimeout = positiveNumber(flag, value(), true);
          break;
        case "--protocol": {
          const v = value();
          if (v !== "eio4" && v !== "eio3" && v !== "all")
            throw new UsageError(`--protocol needs 'eio4', 'eio3' or 'all', got '${v}'`);
          args.protocol = v;
          break;
        }
        case "--cors": {
          const v = value();
          if (v !== "on" && v !== "off") throw new UsageError(`--cors needs 'on' or 'off', got '${v}'`);
          args.cors = v;
          break;
        }
        case "--docs-url": {
          const v = value();
          if (v === "none") args.docsUrl = false;
          else if (!/^https?:\/\/[^/]/.test(v) || !URL.canParse(v))
            throw new UsageError(`--docs-url needs an http(s) URL or 'none', got '${v}'`);
          else args.docsUrl = v;
          break;
        }
        default:
          if (raw.startsWith("-")) throw new UsageError(`unknown option '${raw}'`);
          if (args.url !== undefined) throw new UsageError(`more than one url: '${args.url}' and '${raw}'`);
          try {
            const u = new URL(raw);
            if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
          } catch {
            throw new UsageError(`not an http(s) URL: '${raw}'`);
          }
          args.url = raw;
      }
    },
  );
  if (args.reporters.length === 0) args.reporters = ["pretty", "json"];
  return args;
}

function ignoreStrayRejection(reason: unknown): void {
  if (process.env.SOCKSPEC_DEBUG) process.stderr.write(`sockspec test: ignored a stray rejection: ${String(reason)}\n`);
}

function makeReporters(names: readonly string[], outDir: string, docsBaseUrl?: string | false): Reporter[] {
  return [...new Set(names)].map((name) => {
    if (name === "json") return jsonReporter({ outDir });
    try {
      return createReporter(name, { outDir, ...(docsBaseUrl !== undefined ? { docsBaseUrl } : {}) });
    } catch {
      // A reporter that cannot load must not cost the run: one line per case instead.
      return name === "pretty" ? lineReporter({ outDir }) : jsonReporter({ outDir });
    }
  });
}

/**
 * `sockspec test`; resolves with the exit status.
 * @example `process.exitCode = await test(["http://localhost:3000", "--only", "eio4.**"])`
 */
export async function test(argv: string[]): Promise<number> {
  let args: TestArgs;
  try {
    args = parseTestArgs(argv);
  } catch (err) {
    process.stderr.write(`sockspec test: ${(err as Error).message}\n\n${testUsage}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(testUsage);
    return 0;
  }
  if (args.list) {
    // Without a server to ask, every version's chapters are listed, unless --protocol names one.
    const listed =
      args.protocol === "eio3" || args.protocol === "eio4"
        ? allCases.filter((c) => versionOf(c.id) === args.protocol)
        : allCases;
    for (const c of selectIds(listed, args.only, args.skip)) process.stdout.write(`${c.id}\n`);
    return 0;
  }
  // A case abandoned by its watchdog may leave a request whose failure nobody awaits any more;
  // whatever a server under test does, that must never end the run.
  process.on("unhandledRejection", ignoreStrayRejection);
  let embedded: EmbeddedServer | undefined;
  try {
    if (!args.url) {
      embedded = await startEmbeddedServer();
      process.stderr.write(`sockspec: testing the embedded reference server at ${embedded.url}\n`);
    }
    const options: SuiteOptions = {
      url: args.url ?? embedded!.url,
      path: args.path,
      enginePath: args.url ? args.enginePath : "/engine.io/",
      only: args.only,
      skip: args.skip,
      strict: args.strict,
      timeoutMultiplier: args.timeoutMultiplier,
      concurrency: args.concurrency,
      outDir: args.out,
      reporters: makeReporters(args.reporters, args.out, args.docsUrl),
      ...(args.expectations ? { expectations: args.expectations } : {}),
      // The embedded server's upgradeTimeout is known, so it is judged as if given.
      ...(args.upgradeTimeout !== undefined
        ? { upgradeTimeout: args.upgradeTimeout }
        : embedded
          ? { upgradeTimeout: EMBEDDED_TIMINGS.upgradeTimeout }
          : {}),
      ...(args.connectTimeout !== undefined ? { connectTimeout: args.connectTimeout } : {}),
      ...(args.cors !== undefined ? { cors: args.cors } : {}),
      ...(args.protocol !== undefined ? { protocol: args.protocol } : {}),
    };
    const report = await runSuite(options);
    return exitStatus(report);
  } catch (err) {
    if (err instanceof UnreachableError || err instanceof ExpectationsError || err instanceof ProtocolNotSpokenError)
      process.stderr.write(`sockspec test: ${err.message}\n`);
    else process.stderr.write(`sockspec test: ${(err as Error).stack ?? String(err)}\n`);
    return 2;
  } finally {
    await embedded?.close();
    process.off("unhandledRejection", ignoreStrayRejection);
  }
}
