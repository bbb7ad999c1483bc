/**
 * Standard Schema (https://standardschema.dev, v1): the common interface that form libraries,
 * tRPC, Hono and others accept. Every generated validator is exposed as one. The interface is
 * declared here, as the spec intends, so the generated package needs no dependency for it.
 *
 * Copied into every generated package.
 */
import type { ValidateFunction } from "./check.js";

/** A Standard Schema v1 object. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": StandardSchemaProps<Input, Output>;
}

/** The properties under `~standard`. */
export interface StandardSchemaProps<Input = unknown, Output = Input> {
  readonly version: 1;
  readonly vendor: string;
  readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
  readonly types?: { readonly input: Input; readonly output: Output } | undefined;
}

/** Valid: the value; invalid: the issues. */
export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardIssue> };

/** One problem, with where it is. */
export interface StandardIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** The path of a JSON pointer: `/0/a~1b` is `[0, "a/b"]` (an all-digit segment counts as an index). */
export function pointerPath(pointer: string): PropertyKey[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => {
      const key = segment.replace(/~1/g, "/").replace(/~0/g, "~");
      return /^(0|[1-9][0-9]*)$/.test(key) ? Number(key) : key;
    });
}

/** The Standard Schema face of a generated validator. */
export function standard<T>(validate: ValidateFunction): StandardSchemaV1<T> {
  return {
    "~standard": {
      version: 1,
      vendor: "sockspec",
      validate(value: unknown): StandardResult<T> {
        if (validate(value)) return { value: value as T };
        const errors = validate.errors ?? [];
        return {
          issues: errors.map((e) => ({ message: e.message ?? "is invalid", path: pointerPath(e.instancePath) })),
        };
      },
    },
  };
}

/** A type guard over a generated validator. */
export function guardOf<T>(validate: ValidateFunction): (value: unknown) => value is T {
  return (value: unknown): value is T => validate(value);
}
