/**
 * Codegen as a library: read and check an event catalogue, generate its package, convert it to
 * and from AsyncAPI 3, compare two versions. The `sockspec codegen`, `asyncapi` and `diff`
 * commands are thin layers over these.
 */
export { checkCatalogue, parseCatalogue, readCatalogue, type LoadedCatalogue } from "./catalogue/load.js";
export { CatalogueError, formatProblem, type CatalogueProblem } from "./catalogue/problems.js";
export { generatePackage, type GenerateOptions } from "./emit/generate.js";
export type { Lang } from "./emit/module.js";
export { comparePackage, OutputError, writePackage } from "./emit/write.js";
export { exportAsyncApi, ASYNCAPI_VERSION, type Json } from "./asyncapi/export.js";
export { importAsyncApi, type ImportResult } from "./asyncapi/import.js";
export { classifyChanges, type CatalogueChange, type Level, type Provider } from "./diff/classify.js";
export {
  diffCatalogues,
  reportMarkdown,
  reportText,
  requiredVersion,
  type Bump,
  type DiffReport,
  type VersionCheck,
} from "./diff/report.js";
export type {
  ArgumentTuple,
  CatalogueEvent,
  CatalogueEvents,
  CatalogueExample,
  CatalogueNamespace,
  EventCatalogue,
  PayloadSchema,
} from "../schemas/generated/codegen/catalogue.js";
export type { Direction, EventGroup } from "./catalogue/events.js";
export type { Position } from "./catalogue/locate.js";
export type { Effect } from "./diff/schema-compare.js";
