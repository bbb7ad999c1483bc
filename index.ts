// The library entry point: grows as each part lands.
export { DecodeError } from "./protocol/errors.js";
export { validator, describeErrors } from "./protocol/validators.js";
