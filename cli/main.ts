/** `sockspec <command>`: dispatches to the command modules; returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "test":
      return (await import("./test.js")).test(rest);
    case "serve":
      return (await import("./serve.js")).serve(rest);
    case "codegen":
      return (await import("./codegen.js")).codegen(rest);
    case "asyncapi":
      return (await import("./asyncapi.js")).asyncapi(rest);
    case "diff":
      return (await import("./diff.js")).diff(rest);
    case undefined:
    case "--help":
    case "-h":
    case "help":
      process.stdout.write(usage);
      return 0;
    case "--version":
    case "-v":
      process.stdout.write(`${(await import("../conformance/runner/version.js")).toolVersion()}\n`);
      return 0;
    default:
      process.stderr.write(`sockspec: unknown command '${command}'\n\n${usage}`);
      return 2;
  }
}

const usage = `Usage: sockspec <command> [options]

Commands:
  test [url]        run the conformance suite against a server (no URL: the embedded reference server)
  serve             start the reference server (echo app by default, --app chat for the demo)
  codegen <file>    typed socket.io code and validators from an event catalogue (--out <dir>)
  asyncapi          convert an event catalogue to AsyncAPI 3 (export) or back (import)
  diff <old> <new>  classify catalogue changes as breaking or not, by direction (exit 1 if breaking)

Run 'sockspec <command> --help' for the options of a command.
`;
