package io.multiraft.bench;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Bad usage prints what was wrong, picocli's suggestions and always the usage of the command at
 * fault, then exits 2. Picocli's own handler prints only the suggestions when it has some, so a
 * mistyped flag would not show the options there are.
 */
final class UsageOnError implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(ex.getMessage());
    UnmatchedArgumentException.printSuggestions(ex, err);
    cmd.usage(err, cmd.getColorScheme());
    err.flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }
}
