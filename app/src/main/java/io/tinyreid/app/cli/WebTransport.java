package io.tinyreid.app.cli;

import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

import io.tinyreid.app.tls.PemIdentity;
import io.tinyreid.app.tls.SelfSignedCertificate;
import io.tinyreid.app.tls.TlsIdentity;
import io.tinyreid.app.tls.TlsSetupException;
import io.tinyreid.app.web.WebAddresses;
import io.tinyreid.app.web.WebServer;

/** How {@code run --web} serves: HTTPS (the doorbell's own certificate or the household's), or plain HTTP on request. */
sealed interface WebTransport {
    /** Plain HTTP: only with {@code --insecure-http}. */
    record Plain() implements WebTransport {}

    /** HTTPS with {@code identity}; {@code keptIn} is the directory of a self-signed one (null for the household's own). */
    record Tls(TlsIdentity identity, Path keptIn) implements WebTransport {}

    /** The transport the options ask for; makes the doorbell's certificate on first run. */
    static WebTransport choose(boolean insecureHttp, Path cert, Path key, Path tlsDir, List<InetAddress> addresses)
            throws TlsSetupException {
        if (insecureHttp) {
            if (cert != null || key != null) {
                throw new TlsSetupException("--insecure-http serves plain HTTP; it cannot be combined with --tls-cert/--tls-key");
            }
            return new Plain();
        }
        if ((cert == null) != (key == null)) {
            throw new TlsSetupException("--tls-cert and --tls-key go together: give both PEM files (certificate and its private key)");
        }
        if (cert != null) {
            return new Tls(PemIdentity.load(cert, key), null);
        }
        return new Tls(SelfSignedCertificate.loadOrCreate(tlsDir, addresses), tlsDir);
    }

    /** Starts {@code server} on {@code host:port} over this transport. */
    default WebServer start(WebServer server, String host, int port) {
        return switch (this) {
            case Plain p -> server.start(host, port);
            case Tls t -> server.startTls(host, port, t.identity());
        };
    }

    /** Prints where the web UI is (every address it can be reached at) and, for HTTPS, what to check. */
    default String announce(PrintStream out, List<InetAddress> addresses, int port) {
        boolean tls = this instanceof Tls;
        for (InetAddress a : addresses) {
            out.println("tinyreid: web UI at " + WebAddresses.url(tls, a, port));
        }
        switch (this) {
            case Plain p -> out.println("tinyreid: plain HTTP (--insecure-http): passwords, cookies and photos cross the network unencrypted");
            case Tls t -> out.println("tinyreid: TLS certificate SHA-256 fingerprint " + t.identity().fingerprint()
                    + (t.keptIn() == null ? " (from --tls-cert)"
                    : " (self-signed, kept in " + t.keptIn() + "; the browser warns once: accept only this fingerprint)"));
        }
        return WebAddresses.url(tls, addresses.getFirst(), port);
    }
}
