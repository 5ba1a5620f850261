package dev.imgpool.cli;

/** A user's mistake on the command line: one line on stderr and exit code 2. */
final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }
}
