/** JSON Pointers (RFC 6901), the way every catalogue problem and diff entry says where it is. */

/** One reference token, escaped: `~` as `~0`, `/` as `~1`. */
export function escapeToken(token: string | number): string {
  return String(token).replace(/~/g, "~0").replace(/\//g, "~1");
}

/** The pointer made of `tokens`: `pointer("namespaces", "/", "clientToServer")` is `/namespaces/~1/clientToServer`. */
export function pointer(...tokens: (string | number)[]): string {
  return tokens.map((t) => `/${escapeToken(t)}`).join("");
}

/** `base` followed by `tokens`. */
export function childPointer(base: string, ...tokens: (string | number)[]): string {
  return base + pointer(...tokens);
}

/** The tokens of a pointer, unescaped; throws on a pointer that does not start with `/`. */
export function parsePointer(ptr: string): string[] {
  if (ptr === "") return [];
  if (!ptr.startsWith("/")) throw new Error(`not a JSON pointer: ${ptr}`);
  return ptr
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The value at `ptr` inside `root`, or undefined. */
export function resolvePointer(root: unknown, ptr: string): unknown {
  let node = root;
  for (const token of parsePointer(ptr)) {
    if (node === null || typeof node !== "object") return undefined;
    if (!Object.hasOwn(node, token)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}
