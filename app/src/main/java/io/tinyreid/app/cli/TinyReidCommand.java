package io.tinyreid.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tinyreid} command line: one subcommand per job. */
@Command(name = "tinyreid",
        mixinStandardHelpOptions = true,
        version = "TinyReID 0.1.0",
        description = "Face re-identification for a smart doorbell, planned like a 512 KiB microcontroller.",
        subcommands = {
                CommandLine.HelpCommand.class,
                DetectCommand.class,
                PeopleCommand.class,
                StrangersCommand.class,
                SettingsCommand.class,
                IdentifyCommand.class,
                ModelsCommand.class,
                RunCommand.class,
                DemoCommand.class,
                BudgetCommand.class,
                ModelCommand.class,
                EmbedCommand.class,
                EvalCommand.class,
                QuantiseCommand.class,
                HistoryCommand.class,
                CodegenCommand.class,
                FirmwareCommand.class,
        })
public final class TinyReidCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Entry point used by the {@code tinyreid} launcher. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new TinyReidCommand()).execute(args));
    }
}
