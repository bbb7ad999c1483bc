/**
 * Names in the generated code, all made from the catalogue's own keys: namespace prefixes (`/`
 * is `Main`, `/chat-room` is `ChatRoom`), the types of inline argument schemas
 * (`CancelOrderReason`: event, then argument), and the names the generator itself declares. Two
 * things that would get one name are a catalogue problem, reported with both pointers, rather
 * than a silent `Type1`.
 */
import type { EventCatalogue } from "../../schemas/generated/codegen/catalogue.js";
import { DIRECTIONS, type EventGroup } from "../catalogue/events.js";
import { CatalogueError, type CatalogueProblem } from "../catalogue/problems.js";
import { pointer } from "../catalogue/pointer.js";

/** Words of a name, PascalCased and joined: `chat message` is `ChatMessage`. */
export function pascalCase(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join("");
}

/** The prefix of every name generated for a namespace. */
export function namespacePrefix(namespace: string): string {
  if (namespace === "/") return "Main";
  const name = pascalCase(namespace);
  return /^[A-Za-z]/.test(name) ? name : `Ns${name}`;
}

/** The part of a name that stands for an event. */
export function eventPart(event: string): string {
  const name = pascalCase(event);
  return /^[A-Za-z]/.test(name) ? name : `Event${name}`;
}

/** Direction words used in generated names. */
export const GROUP_WORDS: Readonly<Record<EventGroup, string>> = {
  clientToServer: "ClientToServer",
  serverToClient: "ServerToClient",
  interServer: "InterServer",
};

/** The names generated for one namespace. */
export function namespaceNames(prefix: string): string[] {
  return [
    ...DIRECTIONS.flatMap((d) => [`${prefix}${GROUP_WORDS[d]}Events`, `${prefix}${GROUP_WORDS[d]}EventsWithTimeout`]),
    `${prefix}InterServerEvents`,
    `${prefix}SocketData`,
    `${prefix}Server`,
    `${prefix}Namespace`,
    `${prefix}ServerSocket`,
    `${prefix}ClientSocket`,
    `${prefix}ClientSocketWithTimeout`,
  ];
}

/** Names every generated package declares, whatever its catalogue. */
export const FIXED_NAMES: readonly string[] = ["Binary", "Contract", "NamespaceName", "TypedNamespaces"];

/** Keeps every generated name with the pointer of what it was made for; refuses a second claim. */
export class NameRegistry {
  private readonly owners = new Map<string, string>();
  private readonly problems: CatalogueProblem[] = [];

  constructor(private readonly file: string) {}

  /** Claims `name` for what sits at `owner`; records a problem if it is taken. */
  claim(name: string, owner: string, what: string): void {
    const previous = this.owners.get(name);
    if (previous === undefined) {
      this.owners.set(name, owner);
      return;
    }
    this.problems.push({
      file: this.file,
      pointer: owner,
      message: `${what} would be named ${name}, which is already the name of ${previous || "a generated declaration"}`,
    });
  }

  /** True when `name` is free. */
  isFree(name: string): boolean {
    return !this.owners.has(name);
  }

  /** Throws a CatalogueError when any claim failed. */
  check(): void {
    if (this.problems.length) throw new CatalogueError(this.problems);
  }
}

/** Prefixes by namespace, checked for clashes with each other and with the shared types. */
export function namespacePrefixes(catalogue: EventCatalogue, registry: NameRegistry): Map<string, string> {
  for (const name of FIXED_NAMES) registry.claim(name, "", "a generated declaration");
  for (const name of Object.keys(catalogue.$defs ?? {}))
    registry.claim(name, pointer("$defs", name), `shared schema ${name}`);
  const prefixes = new Map<string, string>();
  for (const namespace of Object.keys(catalogue.namespaces)) {
    const prefix = namespacePrefix(namespace);
    prefixes.set(namespace, prefix);
    for (const name of namespaceNames(prefix))
      registry.claim(name, pointer("namespaces", namespace), `a type of namespace ${namespace}`);
  }
  return prefixes;
}

/** JavaScript's reserved words, which cannot name a parameter. */
const RESERVED_WORDS = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in " +
    "instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package " +
    "private protected public await arguments eval"
  ).split(" "),
);

/** A parameter or tuple label for an argument name (a reserved word gets a trailing underscore). */
export function parameterName(name: string): string {
  return RESERVED_WORDS.has(name) ? `${name}_` : name;
}

/** A property key in generated TypeScript: bare when it is an identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}
