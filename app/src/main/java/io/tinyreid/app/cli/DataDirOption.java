package io.tinyreid.app.cli;

import java.nio.file.Path;

import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import picocli.CommandLine.Option;

/** {@code --data-dir}: where the household lives (default {@code $TINYREID_HOME} or {@code ~/.tinyreid}). */
public final class DataDirOption {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "household data directory (default: $TINYREID_HOME or ~/.tinyreid)")
    Path dataDir;

    /** The chosen directory. */
    public DataDirectory directory() {
        return DataDirectory.resolve(dataDir);
    }

    /** Opens the household there. */
    public Household open() {
        return Household.open(directory());
    }
}
