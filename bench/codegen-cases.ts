/**
 * The schemas the codegen benchmark validates, written twice with the same constraints: once as
 * an event catalogue (for the generated validators) and once with zod 4 (what zod-sockets
 * validates with), plus the argument lists each case checks.
 */
import * as z from "zod";

const tuple = (items: object[]) => ({ prefixItems: items, items: false, minItems: items.length });

/** The benchmark's catalogue: chat and order events, from a one-string message to a nested order. */
export const benchCatalogue = {
  title: "codegen benchmark",
  $defs: {
    OrderId: { type: "string", format: "uuid" },
    Currency: { enum: ["EUR", "USD"] },
    Money: {
      type: "object",
      properties: { amount: { type: "integer", minimum: 0 }, currency: { $ref: "#/$defs/Currency" } },
      required: ["amount", "currency"],
      additionalProperties: false,
    },
    OrderLine: {
      type: "object",
      properties: {
        sku: { type: "string", pattern: "^[A-Z]{3}-[0-9]{4}$" },
        quantity: { type: "integer", minimum: 1, maximum: 99 },
        note: { type: "string", maxLength: 200 },
      },
      required: ["sku", "quantity"],
      additionalProperties: false,
    },
    OrderStatus: { enum: ["placed", "paid", "shipped", "cancelled"] },
    Order: {
      type: "object",
      properties: {
        id: { $ref: "#/$defs/OrderId" },
        lines: { type: "array", items: { $ref: "#/$defs/OrderLine" }, minItems: 1 },
        total: { $ref: "#/$defs/Money" },
        placedAt: { type: "string", format: "date-time" },
        status: { $ref: "#/$defs/OrderStatus" },
      },
      required: ["id", "lines", "total", "placedAt", "status"],
      additionalProperties: false,
    },
  },
  namespaces: {
    "/": {
      clientToServer: {
        "chat message": { args: tuple([{ title: "text", type: "string", minLength: 1, maxLength: 1000 }]) },
        "place order": {
          args: tuple([
            { title: "lines", type: "array", items: { $ref: "#/$defs/OrderLine" }, minItems: 1, maxItems: 20 },
            { title: "email", type: "string", format: "email" },
          ]),
        },
        "upload scan": {
          args: tuple([
            { title: "orderId", $ref: "#/$defs/OrderId" },
            { title: "scan", binary: true },
          ]),
        },
      },
      serverToClient: {
        "order updated": { args: tuple([{ title: "order", $ref: "#/$defs/Order" }]) },
      },
    },
  },
};

// The same constraints in zod 4. Closed objects are strictObject (additionalProperties: false);
// a tuple has exactly its elements, like `items: false` with every argument required.
const OrderId = z.uuid();
const Currency = z.enum(["EUR", "USD"]);
const Money = z.strictObject({ amount: z.int().min(0), currency: Currency });
const OrderLine = z.strictObject({
  sku: z.string().regex(/^[A-Z]{3}-[0-9]{4}$/),
  quantity: z.int().min(1).max(99),
  note: z.string().max(200).optional(),
});
const OrderStatus = z.enum(["placed", "paid", "shipped", "cancelled"]);
const Order = z.strictObject({
  id: OrderId,
  lines: z.array(OrderLine).min(1),
  total: Money,
  placedAt: z.iso.datetime({ offset: true }),
  status: OrderStatus,
});

/** zod schemas by event, as zod-sockets would hold them. */
export const zodSchemas: Record<string, z.ZodType> = {
  "chat message": z.tuple([z.string().min(1).max(1000)]),
  "place order": z.tuple([z.array(OrderLine).min(1).max(20), z.email()]),
  "upload scan": z.tuple([OrderId, z.instanceof(Uint8Array)]),
  "order updated": z.tuple([Order]),
};

const ORDER_ID = "0b0d7f1e-8a6c-4f2a-9d38-3c1f2b9a7e10";
const lines = [
  { sku: "MUG-0001", quantity: 2 },
  { sku: "TEE-0420", quantity: 1, note: "gift wrap, please" },
  { sku: "CAP-0007", quantity: 3 },
];
const order = {
  id: ORDER_ID,
  lines,
  total: { amount: 4_990, currency: "EUR" },
  placedAt: "2025-03-01T12:30:00.000+01:00",
  status: "paid",
};

/** One thing to validate: an event's arguments, and whether both sides must accept them. */
export interface ValidationCase {
  name: string;
  event: string;
  direction: "clientToServer" | "serverToClient";
  args: unknown[];
  valid: boolean;
}

/** The cases: the usual valid events, and invalid ones (which both sides must refuse). */
export const validationCases: ValidationCase[] = [
  {
    name: "chat message (one string)",
    event: "chat message",
    direction: "clientToServer",
    args: ["hello, is anyone there?"],
    valid: true,
  },
  {
    name: "place order (3 lines, e-mail)",
    event: "place order",
    direction: "clientToServer",
    args: [lines, "ann@example.com"],
    valid: true,
  },
  {
    name: "order updated (nested order)",
    event: "order updated",
    direction: "serverToClient",
    args: [order],
    valid: true,
  },
  {
    name: "upload scan (uuid, 4 KiB binary)",
    event: "upload scan",
    direction: "clientToServer",
    args: [ORDER_ID, new Uint8Array(4096)],
    valid: true,
  },
  {
    name: "invalid: place order, bad sku in line 2",
    event: "place order",
    direction: "clientToServer",
    args: [[lines[0], { sku: "tee", quantity: 1 }], "ann@example.com"],
    valid: false,
  },
  {
    name: "invalid: order updated, extra property",
    event: "order updated",
    direction: "serverToClient",
    args: [{ ...order, coupon: "X" }],
    valid: false,
  },
];
