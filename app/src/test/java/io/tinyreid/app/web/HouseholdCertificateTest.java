package io.tinyreid.app.web;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.javalin.config.JavalinConfig;
import io.tinyreid.app.pipeline.LiveView;
import io.tinyreid.app.tls.PemIdentity;
import io.tinyreid.app.tls.TlsIdentity;
import io.tinyreid.app.tls.TlsSetupException;

/**
 * {@code --tls-cert/--tls-key}: the household's own PEM files, made here by OpenSSL (the tool a
 * household or its ACME client uses), so the fingerprint and the key formats are checked against
 * OpenSSL's own word, and every wrong pairing gets a message that says what is wrong.
 */
class HouseholdCertificateTest {
    static final Path OPENSSL = Path.of("/usr/bin/openssl");

    @TempDir
    Path dir;

    @BeforeEach
    void requireOpenssl() {
        if (Files.isExecutable(OPENSSL)) {
            return;
        }
        String msg = "certificate test needs " + OPENSSL + ": scripts/setup.d/12-openssl.sh installs it as root";
        if (Boolean.getBoolean("tinyreid.requireShared")) {
            Assertions.fail(msg);
        }
        Assumptions.abort(msg);
    }

    private String openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(OPENSSL.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    private void selfSigned(String key, String cert, String... newkey) throws Exception {
        List<String> a = new ArrayList<>(List.of("req", "-x509", "-nodes", "-subj", "/CN=doorbell.test", "-days", "2",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert));
        a.addAll(List.of(newkey));
        openssl(a.toArray(String[]::new));
    }

    /** OpenSSL's fingerprint of a PEM certificate, in its own words ("sha256 Fingerprint=AB:CD:..."). */
    private String opensslFingerprint(String cert) throws Exception {
        String out = openssl("x509", "-in", cert, "-noout", "-fingerprint", "-sha256").strip();
        return out.substring(out.indexOf('=') + 1);
    }

    private String refusal(String cert, String key) {
        TlsSetupException e = assertThrows(TlsSetupException.class, () -> PemIdentity.load(dir.resolve(cert), dir.resolve(key)));
        return e.getMessage();
    }

    @Test
    void theHouseholdsOwnCertificateIsServedWithOpensslsFingerprint() throws Exception {
        selfSigned("key.pem", "cert.pem", "-newkey", "rsa:2048");
        openssl("rsa", "-in", "key.pem", "-traditional", "-out", "rsa-pkcs1.pem");
        selfSigned("ec-key.pem", "ec-cert.pem", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
        String fingerprint = opensslFingerprint("cert.pem");

        TlsIdentity pkcs8 = PemIdentity.load(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        assertEquals(fingerprint, pkcs8.fingerprint(), "the printed fingerprint is OpenSSL's");
        assertEquals(fingerprint, PemIdentity.load(dir.resolve("cert.pem"), dir.resolve("rsa-pkcs1.pem")).fingerprint(),
                "an old-style 'BEGIN RSA PRIVATE KEY' file works too");
        assertEquals(opensslFingerprint("ec-cert.pem"),
                PemIdentity.load(dir.resolve("ec-cert.pem"), dir.resolve("ec-key.pem")).fingerprint());

        AdminPassword pw = new AdminPassword(dir.resolve("pw"), 1000);
        try (WebServer server = new WebServer(pw, new WebServer.Backend() {
            final LiveView view = new LiveView();
            @Override public LiveView liveView() { return view; }
            @Override public String statusLine() { return "test"; }
            @Override public void registerPages(JavalinConfig config, Pages pages) {}
        }).startTls("127.0.0.1", 0, pkcs8)) {
            assertEquals(200, new WebClient(server.port(), null, fingerprint).get("/healthz").statusCode(),
                    "the server presents exactly the household's certificate");
        }
    }

    @Test
    void wrongOrMismatchedFilesGetAMessageSayingWhatIsWrong() throws Exception {
        selfSigned("key.pem", "cert.pem", "-newkey", "rsa:2048");
        selfSigned("other-key.pem", "other-cert.pem", "-newkey", "rsa:2048");
        selfSigned("ec-key.pem", "ec-cert.pem", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
        openssl("pkcs8", "-topk8", "-in", "key.pem", "-passout", "pass:secret", "-out", "encrypted.pem");

        String m = refusal("cert.pem", "other-key.pem");
        assertTrue(m.contains("does not belong to the certificate"), m);
        m = refusal("cert.pem", "ec-key.pem");
        assertTrue(m.contains("is an EC key but the certificate") && m.contains("for an RSA key"), m);
        m = refusal("key.pem", "cert.pem");
        assertTrue(m.contains("holds no certificate") && m.contains("this looks like the key"), m);
        m = refusal("cert.pem", "cert.pem");
        assertTrue(m.contains("holds no private key") && m.contains("this looks like the certificate"), m);
        m = refusal("cert.pem", "encrypted.pem");
        assertTrue(m.contains("is encrypted") && m.contains("openssl pkcs8 -topk8 -nocrypt"), m);
        m = refusal("cert.pem", "missing.pem");
        assertTrue(m.contains("missing.pem: no such file"), m);
        Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
        m = refusal("garbage.pem", "key.pem");
        assertTrue(m.contains("is not a readable PEM certificate"), m);
    }
}
