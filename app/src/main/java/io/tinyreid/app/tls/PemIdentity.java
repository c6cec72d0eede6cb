package io.tinyreid.app.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The household's own certificate and key, from the PEM files that {@code openssl} and ACME clients write. */
public final class PemIdentity {
    private static final long MAX_FILE_BYTES = 1 << 20;
    private static final char[] PASSWORD = "tinyreid".toCharArray(); // in memory only
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    /** DER of AlgorithmIdentifier { rsaEncryption, NULL }: wraps a PKCS#1 RSA key as PKCS#8. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7,
            0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PemIdentity() {}

    /** The certificate chain in {@code certFile} (leaf first) with the private key in {@code keyFile}. */
    public static TlsIdentity load(Path certFile, Path keyFile) throws TlsSetupException {
        List<X509Certificate> chain = certificates(certFile);
        X509Certificate leaf = chain.getFirst();
        PrivateKey key = privateKey(keyFile, certFile, leaf.getPublicKey());
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(TlsIdentity.ALIAS, key, PASSWORD, chain.toArray(new Certificate[0]));
            return new TlsIdentity(ks, PASSWORD, leaf);
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsSetupException("cannot use the key in " + keyFile + " with the certificate in " + certFile
                    + ": " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(Path file) throws TlsSetupException {
        String text = read(file, "--tls-cert");
        if (!text.contains("-----BEGIN CERTIFICATE-----")) {
            throw new TlsSetupException("--tls-cert " + file + " holds no certificate (expected a PEM file with "
                    + "-----BEGIN CERTIFICATE-----" + (text.contains("PRIVATE KEY-----") ? "; this looks like the key" : "") + ")");
        }
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            for (Certificate c : f.generateCertificates(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)))) {
                chain.add((X509Certificate) c);
            }
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("--tls-cert " + file + " is not a readable PEM certificate: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new TlsSetupException("--tls-cert " + file + " holds no readable certificate");
        }
        try {
            chain.getFirst().checkValidity();
        } catch (CertificateExpiredException e) {
            throw new TlsSetupException("the certificate in " + file + " expired on " + chain.getFirst().getNotAfter().toInstant()
                    + "; browsers refuse it. Renew it, or leave out --tls-cert/--tls-key to use the doorbell's own", e);
        } catch (CertificateNotYetValidException e) {
            throw new TlsSetupException("the certificate in " + file + " is valid only from "
                    + chain.getFirst().getNotBefore().toInstant() + " (is this machine's clock right?)", e);
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file, Path certFile, PublicKey certKey) throws TlsSetupException {
        String text = read(file, "--tls-key");
        Matcher m = BLOCK.matcher(text);
        String type = null;
        String body = null;
        while (m.find()) {
            if (m.group(1).endsWith("PRIVATE KEY")) {
                type = m.group(1);
                body = m.group(2);
                break;
            }
        }
        if (type == null) {
            throw new TlsSetupException("--tls-key " + file + " holds no private key (expected a PEM file with "
                    + "-----BEGIN PRIVATE KEY-----" + (text.contains("BEGIN CERTIFICATE") ? "; this looks like the certificate" : "") + ")");
        }
        String convert = "; convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem";
        if (type.equals("ENCRYPTED PRIVATE KEY") || body.contains("ENCRYPTED")) {
            throw new TlsSetupException("the key in " + file + " is encrypted; the doorbell starts unattended, so it needs "
                    + "the key unencrypted (and readable only by its user)" + convert);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(body.strip());
        } catch (IllegalArgumentException e) {
            throw new TlsSetupException("the key in " + file + " is not valid PEM (" + e.getMessage() + ")", e);
        }
        byte[] pkcs8 = switch (type) {
            case "PRIVATE KEY" -> der;
            case "RSA PRIVATE KEY" -> rsaToPkcs8(der);
            default -> throw new TlsSetupException("the key in " + file + " is a '" + type + "', which the doorbell cannot read"
                    + convert);
        };
        PrivateKey key = decode(pkcs8, certKey.getAlgorithm());
        if (key == null) {
            for (String other : List.of("RSA", "EC", "Ed25519")) {
                if (decode(pkcs8, other) != null) {
                    throw new TlsSetupException("the key in " + file + " is an " + other + " key but the certificate in "
                            + certFile + " is for an " + certKey.getAlgorithm() + " key: they do not belong together");
                }
            }
            throw new TlsSetupException("the key in " + file + " cannot be read as a private key");
        }
        if (!belongTogether(key, certKey)) {
            throw new TlsSetupException("the key in " + file + " does not belong to the certificate in " + certFile
                    + " (it was made for another certificate)");
        }
        return key;
    }

    private static PrivateKey decode(byte[] pkcs8, String algorithm) {
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    /** True when a signature made with {@code key} verifies with {@code certKey}. */
    private static boolean belongTogether(PrivateKey key, PublicKey certKey) throws TlsSetupException {
        String algorithm = switch (certKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new TlsSetupException("the certificate's key type " + certKey.getAlgorithm()
                    + " is not supported; use an RSA, EC or Ed25519 key");
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(challenge);
            byte[] signature = s.sign();
            Signature v = Signature.getInstance(algorithm);
            v.initVerify(certKey);
            v.update(challenge);
            return v.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** PKCS#8 PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING pkcs1 }. */
    private static byte[] rsaToPkcs8(byte[] pkcs1) {
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        inner.writeBytes(new byte[] {0x02, 0x01, 0x00});
        inner.writeBytes(RSA_ALGORITHM);
        inner.write(0x04);
        writeLength(inner, pkcs1.length);
        inner.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        writeLength(out, inner.size());
        out.writeBytes(inner.toByteArray());
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
            return;
        }
        int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
        out.write(0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--) {
            out.write(length >>> (8 * i));
        }
    }

    private static String read(Path file, String option) throws TlsSetupException {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new TlsSetupException(option + " " + file + " is larger than 1 MiB; it is not a PEM file");
            }
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new TlsSetupException(option + " " + file + ": no such file", e);
        } catch (IOException e) {
            throw new TlsSetupException("cannot read " + option + " " + file + ": " + e.getMessage(), e);
        }
    }
}
