package io.tinyreid.app.web;

import java.security.SecureRandom;
import java.util.HexFormat;

/** An unexpected failure: logged in full with a short number; the user sees only the number. */
final class Incident {
    private static final System.Logger LOG = System.getLogger("tinyreid.web");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Incident() {}

    /** Logs {@code e} while {@code doing} and returns the incident number to show. */
    static String log(String doing, Throwable e) {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        String incident = HexFormat.of().formatHex(b);
        LOG.log(System.Logger.Level.ERROR, "incident " + incident + " " + doing, e);
        return incident;
    }
}
