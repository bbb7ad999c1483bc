/**
 * The thin modules of a generated package, each on its own import path so that an app pulls in
 * only what it uses: `server` (the official socket.io types per namespace, `wrap`, `guard`, a
 * typed `of`), `client` (the socket.io-client types, `wrap`), `index` (types and validators, for
 * either end) and `catalogue` (the source document as data).
 */
import type { EventCatalogue } from "../../schemas/generated/codegen/catalogue.js";
import { jsdoc } from "./jsdoc.js";
import type { ModuleSpec } from "./module.js";
import type { CatalogueModel, NamespaceModel } from "./model.js";

function maps(ns: NamespaceModel): { c2s: string; s2c: string; inter: string; data: string } {
  const p = ns.prefix;
  return {
    c2s: `${p}ClientToServerEvents`,
    s2c: `${p}ServerToClientEvents`,
    inter: `${p}InterServerEvents`,
    data: `${p}SocketData`,
  };
}

function typeImportOf(model: CatalogueModel, names: (ns: NamespaceModel) => string[]): string {
  const all = ["Contract", ...model.namespaces.flatMap(names)];
  return `import type { ${all.join(", ")} } from "./types.js";`;
}

/** `server.(ts|js)`: what the server side imports. */
export function serverModule(model: CatalogueModel, banner: string): ModuleSpec {
  const aliases = model.namespaces.flatMap((ns) => {
    const m = maps(ns);
    const args = `${m.c2s}, ${m.s2c}, ${m.inter}, ${m.data}`;
    return [
      `${jsdoc([`The official socket.io Server, typed with the events of \`${ns.name}\` (socket.io types a Server with one namespace's events; \`of\` types the others).`])}export type ${ns.prefix}Server = Server<${args}>;`,
      `${jsdoc([`The official socket.io Namespace \`${ns.name}\`, typed; get it with \`of(io, ${JSON.stringify(ns.name)})\`.`])}export type ${ns.prefix}Namespace = Namespace<${args}>;`,
      `${jsdoc([`A server-side socket of \`${ns.name}\`, typed.`])}export type ${ns.prefix}ServerSocket = Socket<${args}>;`,
    ];
  });
  const typed = model.namespaces.map((ns) => `  ${JSON.stringify(ns.name)}: ${ns.prefix}Namespace;`).join("\n");
  return {
    banner,
    typeImports: [
      `import type { Namespace, Server, Socket } from "socket.io";`,
      typeImportOf(model, (ns) => Object.values(maps(ns))),
      `import type { ServerBindings } from "./runtime/server.js";`,
    ],
    valueImports: [
      `import { createServerBindings } from "./runtime/server.js";`,
      `import { table } from "./validators.js";`,
    ],
    types: [
      ...aliases,
      `${jsdoc(["Each namespace's typed socket.io Namespace."])}export type TypedNamespaces = {\n${typed}\n};`,
      `export type { ContractErrorCode, ContractErrorEnvelope, FailureSide } from "./runtime/errors.js";`,
      `export type { GuardOptions, PacketMiddleware, ServerPeer } from "./runtime/server.js";`,
      `export type { PeerOptions, RequestOptions } from "./runtime/peer.js";`,
    ],
    statements: [`export { AckTimeoutError, SocketContractError } from "./runtime/errors.js";`],
    values: [
      {
        doc: jsdoc(["The server functions, over this catalogue's validators."]),
        name: "server",
        type: "ServerBindings<Contract>",
        init: "createServerBindings(table)",
      },
      {
        doc: jsdoc([
          'A validating, typed view of a server socket: `const peer = wrap("/", socket, { onInvalid })`, then `peer.on`,',
          "`peer.emit` and `peer.request`. Works with the official server and the sockspec reference server.",
        ]),
        name: "wrap",
        type: `ServerBindings<Contract>["wrap"]`,
        init: "server.wrap",
      },
      {
        doc: jsdoc([
          'A `socket.use` middleware for the official server that lets only valid events reach the listeners: `socket.use(guard("/", { onInvalid }))`.',
        ]),
        name: "guard",
        type: `ServerBindings<Contract>["guard"]`,
        init: "server.guard",
      },
    ],
    functions: [
      {
        doc: jsdoc(["`io.of(name)`, typed with that namespace's events."]),
        tsSignature:
          "of<N extends keyof TypedNamespaces>(io: { of(name: string): unknown }, name: N): TypedNamespaces[N]",
        jsSignature: "of(io, name)",
        body: "{\n  return io.of(name) as TypedNamespaces[N];\n}",
        jsBody: "{\n  return io.of(name);\n}",
      },
    ],
  };
}

/** `client.(ts|js)`: what the client side imports. */
export function clientModule(model: CatalogueModel, banner: string): ModuleSpec {
  const aliases = model.namespaces.flatMap((ns) => {
    const { c2s, s2c } = maps(ns);
    return [
      `${jsdoc([`A socket.io-client socket connected to \`${ns.name}\`, typed.`])}export type ${ns.prefix}ClientSocket = Socket<${s2c}, ${c2s}>;`,
      `${jsdoc([`The same socket when created with \`ackTimeout\` (or after \`timeout(ms)\`): every acknowledgement gets an Error first.`])}export type ${ns.prefix}ClientSocketWithTimeout = Socket<${s2c}, ${c2s}WithTimeout>;`,
    ];
  });
  return {
    banner,
    typeImports: [
      `import type { Socket } from "socket.io-client";`,
      typeImportOf(model, (ns) => [maps(ns).c2s, `${maps(ns).c2s}WithTimeout`, maps(ns).s2c]),
      `import type { ClientBindings } from "./runtime/client.js";`,
    ],
    valueImports: [
      `import { createClientBindings } from "./runtime/client.js";`,
      `import { table } from "./validators.js";`,
    ],
    types: [
      ...aliases,
      `export type { ContractErrorCode, ContractErrorEnvelope, FailureSide } from "./runtime/errors.js";`,
      `export type { ClientPeer } from "./runtime/client.js";`,
      `export type { PeerOptions, RequestOptions } from "./runtime/peer.js";`,
    ],
    statements: [`export { AckTimeoutError, SocketContractError } from "./runtime/errors.js";`],
    values: [
      {
        doc: jsdoc(["The client functions, over this catalogue's validators."]),
        name: "client",
        type: "ClientBindings<Contract>",
        init: "createClientBindings(table)",
      },
      {
        doc: jsdoc([
          'A validating, typed view of a socket.io-client socket: `const peer = wrap("/", io(url), { onInvalid })`, then `peer.on`, `peer.emit` and `peer.request`.',
        ]),
        name: "wrap",
        type: `ClientBindings<Contract>["wrap"]`,
        init: "client.wrap",
      },
    ],
  };
}

/** `index.(ts|js)`: the types and validators, which both ends may use. */
export function indexModule(banner: string): ModuleSpec {
  return {
    banner,
    types: [`export type * from "./types.js";`],
    statements: [`export * from "./validators.js";`],
  };
}

/** `catalogue.(ts|js)`: the catalogue itself, as data. */
export function catalogueModule(catalogue: EventCatalogue, banner: string): ModuleSpec {
  return {
    banner,
    types: [
      `${jsdoc(["The shape of the catalogue document (see https://sockspec.dev/schemas/codegen/catalogue.json)."])}export interface CatalogueDocument {\n  readonly title: string;\n  readonly version?: string;\n  readonly namespaces: { readonly [name: string]: unknown };\n  readonly [key: string]: unknown;\n}`,
    ],
    values: [
      {
        doc: jsdoc([
          "The catalogue this package was generated from, as data: for documentation, or to compare with another at run time.",
        ]),
        name: "catalogue",
        type: "CatalogueDocument",
        init: JSON.stringify(catalogue, null, 2),
      },
    ],
  };
}
