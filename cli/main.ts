/** `sockspec <command>`: dispatches to the command modules; returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "test":
      return (await import("./test.js")).test(rest);
    case "serve":
      return (await import("./serve.js")).serve(rest);
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

Run 'sockspec <command> --help' for the options of a command.
`;
