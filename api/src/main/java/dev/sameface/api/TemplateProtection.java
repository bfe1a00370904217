package dev.sameface.api;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;

/**
 * Integrity, and optionally confidentiality, for template bytes that leave the process. With a key, a template is
 * wrapped in an envelope that only a holder of the key can make or open:
 * <pre>
 * magic "SFTK" | u16 version 1 | u8 mode (1 HMAC-SHA256, 2 AES-256-GCM) | 8-byte key id
 * | mode 1: template bytes | 32-byte HMAC-SHA256 of everything before it
 * | mode 2: 12-byte random nonce | AES-GCM ciphertext of the template bytes with its 16-byte tag (the header is
 *   authenticated as associated data)
 * </pre>
 * The MAC and encryption keys and the key id are derived from the one 256-bit key in the key file with HMAC-SHA256
 * under distinct labels, so no key serves two algorithms. The key id lets "wrong key" be told apart from "altered";
 * it is a one-way function of the key and reveals nothing usable about it. JDK crypto only.
 *
 * <p>The key file holds the key as 64 hex digits (whitespace around them ignored) and must not be readable by group
 * or others where the file system has POSIX permissions: a key anyone on the machine can read protects nothing.
 * Make one with {@code umask 077; od -An -tx1 -N32 /dev/urandom | tr -d ' \n' > template.key}.
 */
public final class TemplateProtection {
    /** No key: templates are plain, and protected ones are refused (there is nothing to check them with). */
    public static final TemplateProtection NONE = new TemplateProtection(null, null, null, false);

    static final byte[] MAGIC = {'S', 'F', 'T', 'K'};
    private static final int VERSION = 1;
    private static final int MODE_MAC = 1;
    private static final int MODE_GCM = 2;
    private static final int HEADER = 4 + 2 + 1 + 8;
    private static final int MAC_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] macKey;
    private final byte[] encKey;
    private final byte[] keyId;
    private final boolean encrypt;

    private TemplateProtection(byte[] macKey, byte[] encKey, byte[] keyId, boolean encrypt) {
        this.macKey = macKey;
        this.encKey = encKey;
        this.keyId = keyId;
        this.encrypt = encrypt;
    }

    /** Protection with a 256-bit key: always a MAC; AES-GCM as well when {@code encrypt}. */
    public static TemplateProtection withKey(byte[] key, boolean encrypt) {
        if (key == null || key.length != 32) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "a template key is 32 bytes (256 bits), got " + (key == null ? 0 : key.length));
        }
        return new TemplateProtection(derive(key, "sameface template hmac-sha256 v1"), derive(key, "sameface template aes-256-gcm v1"),
                Arrays.copyOf(derive(key, "sameface template key id v1"), 8), encrypt);
    }

    /** Reads a key file (64 hex digits, owner-only permissions); a {@link ErrorCode#CONFIG_ERROR} says what is wrong. */
    public static TemplateProtection fromKeyFile(Path file, boolean encrypt) {
        if (!Files.isRegularFile(file)) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "template key file " + file + " does not exist or is not a regular file");
        }
        try {
            if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
                Set<PosixFilePermission> others = Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                        PosixFilePermission.OTHERS_EXECUTE);
                if (perms.stream().anyMatch(others::contains)) {
                    throw new FaceException(ErrorCode.CONFIG_ERROR, "template key file " + file + " is accessible to group or others ("
                            + PosixFilePermissions.toString(perms) + "); allow its owner only: chmod 600 " + file);
                }
            }
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (!text.matches("[0-9a-fA-F]{64}")) {
                throw new FaceException(ErrorCode.CONFIG_ERROR, "template key file " + file
                        + " must hold exactly 64 hex digits (a 256-bit key), e.g. made with: od -An -tx1 -N32 /dev/urandom | tr -d ' \\n'");
            }
            return withKey(HexFormat.of().parseHex(text), encrypt);
        } catch (IOException e) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "cannot read template key file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether templates are checked with a key (and so unprotected ones refused). */
    public boolean requiresKey() {
        return macKey != null;
    }

    /** Whether written templates are encrypted. */
    public boolean encrypts() {
        return encrypt;
    }

    /** Whether these bytes are a protected envelope (as opposed to a plain template). */
    static boolean isProtected(byte[] bytes) {
        return bytes.length >= MAGIC.length && Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** Wraps plain template bytes; without a key, returns them unchanged. */
    byte[] seal(byte[] plain) {
        if (!requiresKey()) {
            return plain;
        }
        try {
            if (encrypt) {
                byte[] nonce = new byte[NONCE_BYTES];
                RANDOM.nextBytes(nonce);
                byte[] header = header(MODE_GCM);
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(encKey, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
                c.updateAAD(header);
                byte[] sealed = c.doFinal(plain);
                return ByteBuffer.allocate(header.length + NONCE_BYTES + sealed.length).put(header).put(nonce).put(sealed).array();
            }
            byte[] header = header(MODE_MAC);
            ByteBuffer b = ByteBuffer.allocate(header.length + plain.length + MAC_BYTES).put(header).put(plain);
            b.put(mac(b.array(), b.position()));
            return b.array();
        } catch (GeneralSecurityException e) {
            throw new FaceException(ErrorCode.INTERNAL_ERROR, "the JDK's template crypto failed: " + e.getMessage(), e);
        }
    }

    /**
     * The plain template bytes inside {@code bytes}, after checking them against this protection: a protected
     * template needs the key it was made with and must be unaltered; a plain one is refused when a key is required.
     */
    byte[] open(byte[] bytes) {
        if (!isProtected(bytes)) {
            if (requiresKey()) {
                throw refused("template is not protected, but this configuration accepts only templates protected with its key "
                        + "(templates.key-file); re-enrol the photo with this configuration");
            }
            return bytes;
        }
        if (bytes.length < HEADER) {
            throw refused("protected template is truncated");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.position(MAGIC.length);
        int version = Short.toUnsignedInt(b.getShort());
        int mode = Byte.toUnsignedInt(b.get());
        String modeName = mode == MODE_MAC ? "HMAC-SHA256" : mode == MODE_GCM ? "AES-256-GCM" : "unknown mode " + mode;
        if (version != VERSION || (mode != MODE_MAC && mode != MODE_GCM)) {
            throw refused("protected template has an unsupported envelope (version " + version + ", " + modeName + ")");
        }
        if (!requiresKey()) {
            throw refused("template is protected (" + modeName + ") and this configuration has no key to check it; "
                    + "name the key file in templates.key-file");
        }
        byte[] id = Arrays.copyOfRange(bytes, 7, HEADER);
        if (!MessageDigest.isEqual(id, keyId)) {
            throw refused("template was protected with another key (key id " + HexFormat.of().formatHex(id) + ", this configuration's is "
                    + HexFormat.of().formatHex(keyId) + ")");
        }
        try {
            if (mode == MODE_MAC) {
                if (bytes.length < HEADER + MAC_BYTES) {
                    throw refused("protected template is truncated");
                }
                int end = bytes.length - MAC_BYTES;
                if (!MessageDigest.isEqual(mac(bytes, end), Arrays.copyOfRange(bytes, end, bytes.length))) {
                    throw refused("template was altered or forged (its HMAC-SHA256 does not match)");
                }
                return Arrays.copyOfRange(bytes, HEADER, end);
            }
            if (bytes.length < HEADER + NONCE_BYTES + TAG_BITS / 8) {
                throw refused("protected template is truncated");
            }
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(encKey, "AES"), new GCMParameterSpec(TAG_BITS, bytes, HEADER, NONCE_BYTES));
            c.updateAAD(bytes, 0, HEADER);
            return c.doFinal(bytes, HEADER + NONCE_BYTES, bytes.length - HEADER - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new FaceException(ErrorCode.TEMPLATE_FORMAT_ERROR, "template was altered or forged (its AES-GCM tag does not match)", e);
        } catch (GeneralSecurityException e) {
            throw new FaceException(ErrorCode.INTERNAL_ERROR, "the JDK's template crypto failed: " + e.getMessage(), e);
        }
    }

    private byte[] header(int mode) {
        return ByteBuffer.allocate(HEADER).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .put(MAGIC).putShort((short) VERSION).put((byte) mode).put(keyId).array();
    }

    private byte[] mac(byte[] bytes, int length) throws GeneralSecurityException {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(macKey, "HmacSHA256"));
        m.update(bytes, 0, length);
        return m.doFinal();
    }

    private static byte[] derive(byte[] key, String label) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m.doFinal(label.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new FaceException(ErrorCode.INTERNAL_ERROR, "the JDK's HMAC-SHA256 is unavailable: " + e.getMessage(), e);
        }
    }

    private static FaceException refused(String message) {
        return new FaceException(ErrorCode.TEMPLATE_FORMAT_ERROR, message);
    }
}
