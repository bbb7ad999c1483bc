/**
 * Binary attachments of Socket.IO packets: taking binary values out of event arguments
 * (leaving numbered placeholders) and putting them back. Placeholders are numbered in
 * depth-first order: arrays by index, objects by own enumerable key order.
 */
import { DecodeError } from "../errors.js";

/** A binary value the encoder accepts inside event or ack arguments. */
export type BinaryValue = Uint8Array | ArrayBuffer | ArrayBufferView;

/** Sets an own property, also for the key `__proto__` (which plain assignment would treat as the prototype). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** True for Buffer, any typed array, DataView and ArrayBuffer. */
export function isBinary(value: unknown): value is BinaryValue {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer;
}

function toBytes(value: BinaryValue): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

/**
 * Replaces every binary value inside `data` with `{"_placeholder":true,"num":N}` and pushes
 * its bytes to `attachments`. One pass: a subtree without binary is returned as is (same
 * reference, nothing copied), so arguments without binary cost one walk and no allocation.
 * Objects with a `toJSON` method (Date...) are left to JSON.stringify.
 */
export function deconstruct(data: unknown, attachments: Uint8Array[]): unknown {
  if (typeof data !== "object" || data === null) return data;
  // Arrays first: they are the common case (the arguments list itself) and never binary.
  if (Array.isArray(data)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < data.length; i++) {
      const item: unknown = data[i];
      // Primitives (most arguments) are settled here, without a call.
      const out = typeof item !== "object" || item === null ? item : deconstruct(item, attachments);
      if (out !== item && copy === undefined) copy = data.slice(0, i);
      if (copy !== undefined) copy.push(out);
    }
    return copy ?? data;
  }
  if (isBinary(data)) {
    const placeholder = { _placeholder: true, num: attachments.length };
    attachments.push(toBytes(data));
    return placeholder;
  }
  if (typeof (data as { toJSON?: unknown }).toJSON === "function") return data;
  let copy: Record<string, unknown> | undefined;
  const record = data as Record<string, unknown>;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const item = record[key];
    const out = typeof item !== "object" || item === null ? item : deconstruct(item, attachments);
    if (out !== item && copy === undefined) {
      copy = {};
      // Keys before this one had no binary: copy them as they are, in order.
      for (const earlier in record) {
        if (earlier === key) break;
        if (Object.hasOwn(record, earlier)) setOwn(copy, earlier, record[earlier]);
      }
    }
    if (copy !== undefined) setOwn(copy, key, out);
  }
  return copy ?? data;
}

/**
 * Where each placeholder of a payload sits: `container[key]` holds placeholder `num`. Filled by
 * {@link checkPlaceholders} so that putting the attachments back needs no second walk.
 */
export interface PlaceholderSlot {
  container: Record<string, unknown> | unknown[];
  key: string | number;
  num: number;
}

/**
 * Checks every placeholder of a decoded binary packet's payload: exactly the keys
 * `_placeholder` (true) and `num` (an integer in [0, count)), each num used once, all
 * `count` used. Any object whose `_placeholder` is true counts as a placeholder. Returns where
 * the placeholders are, in depth-first order.
 */
export function checkPlaceholders(data: unknown, count: number, rule: string, offset: number): PlaceholderSlot[] {
  const seen = new Uint8Array(count);
  const slots: PlaceholderSlot[] = [];
  const visit = (value: unknown, container: Record<string, unknown> | unknown[], key: string | number): void => {
    if (typeof value !== "object" || value === null) return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) visit(value[i], value, i);
      return;
    }
    const record = value as Record<string, unknown>;
    if (record._placeholder === true) {
      const num = record.num;
      let keys = 0;
      for (const k in record) if (Object.hasOwn(record, k)) keys++;
      if (keys !== 2 || typeof num !== "number" || !Number.isInteger(num)) {
        throw new DecodeError(
          rule,
          offset,
          'malformed placeholder: want exactly {"_placeholder":true,"num":<integer>}',
        );
      }
      if (num < 0 || num >= count) {
        throw new DecodeError(rule, offset, `placeholder num ${num} outside 0..${count - 1}`);
      }
      if (seen[num]) throw new DecodeError(rule, offset, `placeholder num ${num} used twice`);
      seen[num] = 1;
      slots.push({ container, key, num });
      return;
    }
    for (const k in record) {
      if (Object.hasOwn(record, k)) visit(record[k], record, k);
    }
  };
  // The root of a binary packet's payload is an array (checked before), never a placeholder.
  const root = { payload: data };
  visit(data, root, "payload");
  if (slots.length !== count) {
    throw new DecodeError(rule, offset, `${count} attachments announced but ${slots.length} placeholders found`);
  }
  return slots;
}

/** Puts each attachment where {@link checkPlaceholders} found its placeholder. */
export function fillSlots(slots: readonly PlaceholderSlot[], attachments: readonly Uint8Array[]): void {
  for (const { container, key, num } of slots) {
    if (Array.isArray(container)) container[key as number] = attachments[num];
    else setOwn(container, key as string, attachments[num]);
  }
}

/**
 * Returns `data` with each placeholder replaced by its attachment. The placeholders must have
 * been checked by {@link checkPlaceholders}; the payload is freshly parsed JSON, so it is
 * changed in place.
 */
export function reconstruct(data: unknown, attachments: readonly Uint8Array[]): unknown {
  if (typeof data !== "object" || data === null) return data;
  if (Array.isArray(data)) {
    for (let i = 0; i < data.length; i++) data[i] = reconstruct(data[i], attachments);
    return data;
  }
  const record = data as Record<string, unknown>;
  if (record._placeholder === true) return attachments[record.num as number];
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const item = record[key];
    const out = reconstruct(item, attachments);
    if (out !== item) setOwn(record, key, out);
  }
  return record;
}
