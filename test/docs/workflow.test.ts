/**
 * .github/workflows/docs.yml cannot run here; this checks that it is valid YAML that would do
 * the job: build with `npm run docs` on a full-history checkout on push to main, upload
 * docs/site as the Pages artifact, and deploy it with the permissions Pages needs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// The YAML parser typedoc itself uses for Markdown front matter (a dependency of typedoc).
import { parse } from "yaml";
import { repoRoot } from "../support/repo-root.js";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  id?: string;
}
interface Workflow {
  on: { push?: { branches?: string[] } };
  permissions: Record<string, string>;
  jobs: Record<string, { "runs-on": string; needs?: string; steps: Step[]; environment?: { name: string } }>;
}

const root = repoRoot();
const workflow = parse(readFileSync(join(root, ".github", "workflows", "docs.yml"), "utf8")) as Workflow;
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
const typedoc = readFileSync(join(root, "typedoc.json"), "utf8");

describe("the docs workflow", () => {
  it("runs on push to main with the Pages permissions", () => {
    expect(workflow.on.push?.branches).toEqual(["main"]);
    expect(workflow.permissions).toEqual({ contents: "read", pages: "write", "id-token": "write" });
  });

  it("builds with npm run docs on a full-history checkout and uploads the output folder", () => {
    const steps = workflow.jobs.build!.steps;
    expect(steps.find((s) => s.uses?.startsWith("actions/checkout@"))?.with?.["fetch-depth"]).toBe(0);
    expect(steps.some((s) => s.run?.startsWith("npm run docs"))).toBe(true);
    expect(pkg.scripts.docs).toContain("scripts/docs/build");
    const out = /"out": "([^"]+)"/.exec(typedoc)![1];
    expect(steps.find((s) => s.uses?.startsWith("actions/upload-pages-artifact@"))?.with?.path).toBe(out);
  });

  it("deploys the artifact after the build", () => {
    const deploy = workflow.jobs.deploy!;
    expect(deploy.needs).toBe("build");
    expect(deploy.environment?.name).toBe("github-pages");
    expect(deploy.steps.map((s) => s.uses)).toEqual(["actions/deploy-pages@v4"]);
  });
});
