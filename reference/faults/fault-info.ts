/** One entry of a fault catalogue, the same shape in both layers. */
export interface FaultInfo {
  /** The rule of spec/ the fault breaks. */
  readonly rule: string;
  /** What the mutant does instead, in a line. */
  readonly breaks: string;
}
