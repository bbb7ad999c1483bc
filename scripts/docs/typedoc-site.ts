/**
 * What the site needs from typedoc beyond its options, installed on the Application by the
 * build (scripts/docs/run-typedoc.ts):
 *
 * - **stable page paths**: a document whose front matter has `path: cases/eio4.upgrade.probe`
 *   is written to `cases/eio4.upgrade.probe.html`, not to a name derived from its title, so
 *   the reporters' links to case pages and links from outside stay valid;
 * - **explicit anchors count**: typedoc checks every `page.md#anchor` link against the
 *   target's headings only, but the spec's anchors are explicit `<a id="EIO4-WS-02"></a>`
 *   (typedoc has no `{#id}` headings). The pages' raw-HTML ids are registered with typedoc's
 *   anchor check, so a link to a rule that does not exist still fails the build and a link to
 *   one that does passes;
 * - **module names as imported**: the API modules are named after the package's `exports`
 *   (`sockspec`, `sockspec/protocol`…) instead of their file paths (`index`, `protocol`).
 */
import {
  Converter,
  KindRouter,
  ReflectionKind,
  Slugger,
  type Application,
  type DocumentReflection,
  type PageDefinition,
  type ProjectReflection,
  type Reflection,
  type RouterTarget,
  type TypeDocOptionMap,
} from "typedoc";

/** The router name the site's typedoc.json selects. */
export const ROUTER_NAME = "sockspec";

/** The ids of raw-HTML elements in Markdown: `<a id="EIO4-WS-02"></a>` → `EIO4-WS-02`. */
export function htmlIds(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/<[a-zA-Z][^<>]*?\sid="([^"]+)"/g)].map((m) => m[1]!));
}

/** typedoc's slugger, which also knows a page's explicit HTML ids. */
class AnchoredSlugger extends Slugger {
  constructor(
    options: TypeDocOptionMap["sluggerConfiguration"],
    private readonly ids: ReadonlySet<string>,
  ) {
    super(options);
  }

  override hasAnchor(anchor: string): boolean {
    return super.hasAnchor(anchor) || this.ids.has(anchor);
  }
}

function isDocument(target: RouterTarget): target is DocumentReflection {
  return typeof (target as Reflection).kindOf === "function" && (target as Reflection).kindOf(ReflectionKind.Document);
}

/** The Markdown text of a page whose anchors are checked: a document, or the project's readme. */
function pageMarkdown(target: RouterTarget): string | undefined {
  if (isDocument(target)) return target.content.map((p) => p.text).join("");
  const project = target as ProjectReflection;
  if (typeof (target as Reflection).isProject === "function" && (target as Reflection).isProject() && project.readme)
    return project.readme.map((p) => p.text).join("");
  return undefined;
}

/** typedoc's kind router, with front-matter paths for documents and explicit anchors registered. */
export class SiteRouter extends KindRouter {
  protected override getIdealBaseName(reflection: Reflection): string {
    if (isDocument(reflection)) {
      const path = reflection.frontmatter.path;
      if (typeof path === "string" && path) return path;
    }
    return super.getIdealBaseName(reflection);
  }

  override buildPages(project: ProjectReflection): PageDefinition[] {
    const pages = super.buildPages(project);
    for (const target of [...this.sluggers.keys()]) {
      const markdown = pageMarkdown(target);
      if (markdown !== undefined)
        this.sluggers.set(target, new AnchoredSlugger(this.sluggerConfiguration, htmlIds(markdown)));
    }
    return pages;
  }
}

/**
 * The name a module gets from the package's exports: `index` → `sockspec`, `protocol` →
 * `sockspec/protocol` when `./protocol` is an export; any other name is kept.
 */
export function exportName(moduleName: string, packageName: string, exportKeys: readonly string[]): string {
  if (moduleName === "index" && exportKeys.includes(".")) return packageName;
  if (exportKeys.includes(`./${moduleName}`)) return `${packageName}/${moduleName}`;
  return moduleName;
}

/** Installs the router and the module renaming on an Application (before `convert`). */
export function installSite(app: Application, pkg: { name: string; exports?: Record<string, unknown> }): void {
  app.renderer.defineRouter(ROUTER_NAME, SiteRouter);
  const keys = Object.keys(pkg.exports ?? {});
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const child of context.project.children ?? []) {
      if (child.kindOf(ReflectionKind.Module)) child.name = exportName(child.name, pkg.name, keys);
    }
  });
}
