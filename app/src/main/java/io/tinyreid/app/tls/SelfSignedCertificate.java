package io.tinyreid.app.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The doorbell's own certificate: made on first run by the JDK's {@code keytool} (an EC P-256 key,
 * valid ten years, naming localhost and the machine's addresses) and kept in the data directory, so
 * a browser that was told to trust it keeps trusting it across restarts.
 */
public final class SelfSignedCertificate {
    /** The key store's file name inside the TLS directory. */
    public static final String FILE = "doorbell.p12";
    // The store's password protects nothing (it would sit beside the store); the owner-only directory does.
    private static final char[] PASSWORD = "tinyreid".toCharArray();

    private SelfSignedCertificate() {}

    /** The certificate kept in {@code dir}, made first (for {@code addresses}) when there is none. */
    public static TlsIdentity loadOrCreate(Path dir, Collection<InetAddress> addresses) throws TlsSetupException {
        Path store = dir.resolve(FILE);
        if (!Files.exists(store)) {
            create(dir, store, addresses);
        }
        return load(store);
    }

    private static TlsIdentity load(Path store) throws TlsSetupException {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD);
            if (!(ks.getCertificate(TlsIdentity.ALIAS) instanceof X509Certificate cert) || !ks.isKeyEntry(TlsIdentity.ALIAS)) {
                throw new TlsSetupException(store + " holds no doorbell key; delete it and a new one is made on the next start");
            }
            return new TlsIdentity(ks, PASSWORD, cert);
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsSetupException("cannot read the web UI's certificate " + store + " (" + e.getMessage()
                    + "); delete it and a new one is made on the next start", e);
        }
    }

    private static void create(Path dir, Path store, Collection<InetAddress> addresses) throws TlsSetupException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new TlsSetupException("cannot make the web UI's certificate: this Java runtime has no keytool ("
                    + keytool + "); give your own with --tls-cert and --tls-key, or serve plain HTTP with --insecure-http");
        }
        Path tmp = dir.resolve(FILE + ".tmp");
        try {
            Files.createDirectories(dir);
            ownerOnly(dir, "rwx------");
            Files.deleteIfExists(tmp);
            List<String> cmd = List.of(keytool.toString(), "-genkeypair", "-noprompt", "-alias", TlsIdentity.ALIAS,
                    "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "3650",
                    "-dname", "CN=TinyReID doorbell", "-ext", subjectAltNames(addresses),
                    "-keystore", tmp.toString(), "-storetype", "PKCS12", "-storepass", new String(PASSWORD));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new TlsSetupException("keytool did not finish making the web UI's certificate within 2 minutes");
            }
            if (p.exitValue() != 0 || !Files.exists(tmp)) {
                throw new TlsSetupException("keytool could not make the web UI's certificate: " + output.strip());
            }
            ownerOnly(tmp, "rw-------");
            Files.move(tmp, store, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new TlsSetupException("cannot make the web UI's certificate in " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TlsSetupException("interrupted while making the web UI's certificate", e);
        }
    }

    /** keytool's {@code san=} extension: localhost and every address (IPv6 without its zone). */
    static String subjectAltNames(Collection<InetAddress> addresses) {
        List<String> names = new ArrayList<>(List.of("dns:localhost"));
        for (InetAddress a : addresses) {
            if (a instanceof Inet6Address && a.isLinkLocalAddress()) {
                continue; // a link-local address needs a zone, which a certificate cannot carry
            }
            String ip = a.getHostAddress();
            int zone = ip.indexOf('%');
            String entry = "ip:" + (zone >= 0 ? ip.substring(0, zone) : ip);
            if (!names.contains(entry)) {
                names.add(entry);
            }
        }
        return "san=" + String.join(",", names);
    }

    private static void ownerOnly(Path p, String permissions) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(permissions));
        }
    }
}
