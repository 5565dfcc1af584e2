// Failures the CLI expects (bad input, API errors, missing configuration). `run` prints their message
// without a stack trace; anything else is a bug and is printed in full.
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

/** Wrong command line: exit code 2, and `run` points at the usage text. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = "UsageError";
  }
}
