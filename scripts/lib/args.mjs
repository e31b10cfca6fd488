// The command-line options every script takes: `--name value` pairs and bare `--flag`s, plus
// `--help` / `-h`, which prints the script's usage and exits before anything starts (a browser,
// a server, a build).

/** Options of one command line (the process's own unless given). */
export function cliArgs(argv = process.argv.slice(2)) {
  return {
    /** The value after `--name`, or `dflt` when the option is absent. */
    opt(name, dflt) {
      const i = argv.indexOf(`--${name}`);
      if (i < 0) return dflt;
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) {
        console.error(`--${name} needs a value`);
        process.exit(2);
      }
      return value;
    },
    /** Whether the bare `--name` is present. */
    flag(name) {
      return argv.includes(`--${name}`);
    },
    /** Prints `usage` and exits if help was asked for. */
    helpOr(usage) {
      if (argv.includes('--help') || argv.includes('-h')) {
        console.log(usage);
        process.exit(0);
      }
    },
  };
}
