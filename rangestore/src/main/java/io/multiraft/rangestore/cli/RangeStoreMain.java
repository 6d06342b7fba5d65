package io.multiraft.rangestore.cli;

import io.multiraft.rangestore.api.ConfigException;
import io.multiraft.rangestore.codec.MalformedException;
import io.multiraft.rangestore.range.RangeException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The range store's command line: {@code server}, {@code admin ...} and {@code demo}. Exit codes:
 * 0 success, 1 the request was refused or failed (the message says why), 2 bad usage or
 * configuration, 3 a node could not be reached or did not answer in time.
 */
@Command(name = "rangestore", mixinStandardHelpOptions = true, version = "rangestore 0.1.0",
    description = "A sorted key-value store of Raft-replicated ranges.",
    subcommands = {ServerCommand.class, AdminCommand.class, DemoCommand.class})
public final class RangeStoreMain {
  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    CommandLine cl = new CommandLine(new RangeStoreMain());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
      cmd.getErr().println("error: " + c.getMessage());
      if (c instanceof ConfigException || c instanceof MalformedException || c instanceof IllegalArgumentException) {
        return 2;
      }
      if (c instanceof RangeException.Rejected || c instanceof RangeException.KeyNotInRange || c instanceof RangeException.RangeNotFound) {
        return 1;
      }
      if (c instanceof RangeException) {
        return 3;
      }
      return 1;
    });
    return cl.execute(args);
  }
}
