/**
 * The string formats the generated validators check. Each is a regular expression, so that
 * ajv's standalone code carries it inline and the generated package needs no format library.
 * They follow RFC 3339 (date, time, date-time), RFC 4122 (uuid), RFC 1123 (hostname) and the
 * usual shapes of e-mail addresses and URIs; like ajv-formats' fast mode, they check the shape,
 * not the calendar (2023-02-30 passes).
 */
import type { FORMATS } from "./keywords.js";

const DATE = "\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])";
const TIME = "(?:[01]\\d|2[0-3]):[0-5]\\d:(?:[0-5]\\d|60)(?:\\.\\d+)?(?:z|[+-](?:[01]\\d|2[0-3]):[0-5]\\d)";
const IPV4 = "(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const H16 = "[0-9a-f]{1,4}";
const IPV6 = [
  `(?:${H16}:){7}${H16}`,
  `(?:${H16}:){1,7}:`,
  `(?:${H16}:){1,6}:${H16}`,
  `(?:${H16}:){1,5}(?::${H16}){1,2}`,
  `(?:${H16}:){1,4}(?::${H16}){1,3}`,
  `(?:${H16}:){1,3}(?::${H16}){1,4}`,
  `(?:${H16}:){1,2}(?::${H16}){1,5}`,
  `${H16}:(?::${H16}){1,6}`,
  `:(?:(?::${H16}){1,7}|:)`,
  `(?:${H16}:){6}${IPV4}`,
  `::(?:ffff(?::0{1,4})?:)?${IPV4}`,
  `(?:${H16}:){1,5}:${IPV4}`,
].join("|");

/** Each supported format's regular expression. */
export const FORMAT_PATTERNS: { readonly [F in (typeof FORMATS)[number]]: RegExp } = {
  "date-time": new RegExp(`^${DATE}[t ]${TIME}$`, "i"),
  date: new RegExp(`^${DATE}$`),
  time: new RegExp(`^${TIME}$`, "i"),
  email:
    /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i,
  uri: /^[a-z][a-z0-9+.-]*:[^\s]*$/i,
  uuid: /^(?:urn:uuid:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  ipv4: new RegExp(`^${IPV4}$`),
  ipv6: new RegExp(`^(?:${IPV6})$`, "i"),
  hostname: /^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i,
};
