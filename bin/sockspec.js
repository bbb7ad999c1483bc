#!/usr/bin/env node
// The CLI runs from the build that `npm ci` makes in `prepare`.
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
