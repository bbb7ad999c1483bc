/**
 * sockspec as a library. Each part also has its own entry point:
 * `sockspec/protocol` (codecs), `sockspec/reference` (the reference server),
 * `sockspec/conformance` (the suite).
 */
export * from "./protocol/index.js";
export { attach, Server, EngineServer, type AttachOptions, type Attached } from "./reference/index.js";
export {
  runSuite,
  exitStatus,
  ProtocolNotSpokenError,
  type SuiteOptions,
  type ConformanceReport,
} from "./conformance/index.js";
