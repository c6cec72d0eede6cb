package io.tinyreid.app.tls;

import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** What the web server proves itself with: a key store holding one key and its certificate chain. */
public record TlsIdentity(KeyStore keyStore, char[] password, X509Certificate certificate) {
    /** The alias of the one key entry. */
    public static final String ALIAS = "doorbell";

    /** The certificate's SHA-256 fingerprint as browsers show it (colon-separated upper-case hex). */
    public String fingerprint() {
        return fingerprintOf(certificate);
    }

    /** SHA-256 over a certificate's DER encoding, colon-separated upper-case hex. */
    public static String fingerprintOf(X509Certificate cert) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint the certificate", e);
        }
    }
}
