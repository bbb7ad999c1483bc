/** `sockspec <command>`: dispatches to the command modules; returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(usage);
    return 0;
  }
  process.stderr.write(`sockspec: unknown command '${command}'\n\n${usage}`);
  return 2;
}

const usage = `Usage: sockspec <command> [options]

Commands:
  test [url]        run the conformance suite against a server (no URL: the embedded reference server)
  serve             start the reference server
  codegen <file>    generate typed interfaces and validators from an event catalogue

Run 'sockspec <command> --help' for the options of a command.
`;
