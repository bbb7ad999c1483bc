/**
 * Mutation testing of the conformance suite: the reference server with one fault switched on
 * per mutant, the whole suite run against each, and the resulting case x mutant kill matrix.
 */
export { allMutants, type Mutant } from "./catalogue.js";
export {
  runFullSuite,
  mergeReports,
  needsFeatures,
  CONFIGURED_FEATURES,
  type StartServer,
  type ServerHandle,
  type Variant,
  type FullSuiteOptions,
} from "./full-suite.js";
export { referenceStarter, FEATURE_OPTIONS } from "./servers.js";
export {
  runKillMatrix,
  killersOf,
  summarise,
  isKill,
  type KillMatrix,
  type KillMatrixOptions,
  type KillSummary,
} from "./matrix.js";
export { formatMatrix, cellMark } from "./format.js";
