package io.tinyreid.nn.plan;

/** The plan does not fit the memory budget; the message reads like a linker's. */
public final class ArenaOverflowException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long overflow;

    public ArenaOverflowException(String region, long overflow, long peak, long budget) {
        super("region '" + region + "' overflowed by " + overflow + " bytes (plan needs " + peak + ", budget " + budget + ")");
        this.overflow = overflow;
    }

    /** Bytes missing. */
    public long overflow() {
        return overflow;
    }
}
