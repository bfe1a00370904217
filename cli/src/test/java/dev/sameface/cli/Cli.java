package dev.sameface.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the sameface command in-process as a user would, capturing its exit code, stdout and stderr. */
record Cli(int exit, String out, String err) {
    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SamefaceCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }
}
