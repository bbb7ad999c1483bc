/**
 * The versions of the servers under test, read from what is installed rather than from what a
 * manifest asks for: the page must say exactly which release earned which verdict.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../../test/support/repo-root.js";

/** The version of an npm package as installed in this repository's node_modules. */
export function nodePackageVersion(name: string): string {
  const file = join(repoRoot(), "node_modules", name, "package.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

// The distribution's metadata first: python-socketio 5.x has no `__version__` attribute.
const PYTHON_VERSIONS = `
import importlib, importlib.metadata, json, platform, sys
out = {}
for dist, module in json.loads(sys.argv[1]):
    try:
        out[dist] = importlib.metadata.version(dist)
    except Exception:
        out[dist] = str(getattr(importlib.import_module(module), "__version__", "unknown"))
out["Python"] = platform.python_version()
print(json.dumps(out))
`;

/**
 * Versions of Python distributions as `python` sees them, keyed by distribution name, plus
 * `Python` itself. `packages` pairs a distribution name with the module it installs.
 */
export function pythonPackageVersions(
  python: string,
  packages: ReadonlyArray<readonly [dist: string, module: string]>,
): Record<string, string> {
  const run = spawnSync(python, ["-c", PYTHON_VERSIONS, JSON.stringify(packages)], { encoding: "utf8" });
  if (run.status !== 0)
    throw new Error(`${python} could not report its package versions: ${run.stderr || run.error?.message}`);
  return JSON.parse(run.stdout) as Record<string, string>;
}
