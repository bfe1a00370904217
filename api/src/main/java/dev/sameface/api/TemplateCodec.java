package dev.sameface.api;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The binary template format, version 1. Little-endian:
 * <pre>
 * magic "SFTM" | u16 version | u16 flags (1 failed, 2 has landmarks) | u16 fingerprint length | fingerprint UTF-8
 * | if failed: u16 failure code ordinal name length + name | if landmarks: 10 x f32
 * | u32 dimension | dimension x f32 | u32 CRC-32 of everything before it
 * </pre>
 * The CRC turns any flipped or lost byte into {@link ErrorCode#TEMPLATE_FORMAT_ERROR} instead of a wrong score. It
 * catches accidents, not tampering (anyone can recompute it): decoding also refuses a vector whose L2 norm is not 1
 * within {@link #NORM_TOLERANCE}, or that holds a non-finite value, since no embedder makes one. Against deliberate
 * alteration, {@link TemplateProtection} adds a keyed MAC or AES-GCM around these bytes.
 */
public final class TemplateCodec {
    public static final int VERSION = 1;
    private static final byte[] MAGIC = {'S', 'F', 'T', 'M'};
    private static final int FLAG_FAILED = 1;
    private static final int FLAG_LANDMARKS = 2;
    private static final int MAX_DIMENSION = 65_536;
    /**
     * How far a decoded vector's L2 norm may be from 1. A unit vector stored as f32 is off by about sqrt(d) x 6e-8
     * (2e-6 for 512 dimensions, 1.5e-5 for 65,536); 1e-3 leaves a wide margin over rounding yet refuses a vector
     * scaled by as little as 0.1%, and a scaled or zero vector is what tampering that recomputes the CRC produces.
     */
    public static final double NORM_TOLERANCE = 1e-3;

    private TemplateCodec() {
    }

    /** The template's bytes, protected as {@code protection} says (a MAC or encryption with its key, or plain). */
    public static byte[] encode(Template t, TemplateProtection protection) {
        return protection.seal(encode(t));
    }

    /**
     * Reads template bytes, first checking them against {@code protection}: with a key, only unaltered templates
     * protected with that key are accepted; without one, protected templates are refused.
     */
    public static Template decode(byte[] bytes, TemplateProtection protection) {
        if (bytes == null) {
            throw corrupt("too short to be a sameface template (0 bytes)");
        }
        return decode(protection.open(bytes));
    }

    /** A plain (unprotected) template's bytes. */
    public static byte[] encode(Template t) {
        byte[] fp = t.modelFingerprint().getBytes(StandardCharsets.UTF_8);
        byte[] failure = t.isFailed() ? t.failure().name().getBytes(StandardCharsets.US_ASCII) : new byte[0];
        int dim = t.isFailed() ? 0 : t.embedding().dimension();
        int size = 4 + 2 + 2 + 2 + fp.length + (t.isFailed() ? 2 + failure.length : 0)
                + (t.landmarks() != null ? 40 : 0) + 4 + 4 * dim + 4;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putShort((short) VERSION);
        b.putShort((short) ((t.isFailed() ? FLAG_FAILED : 0) | (t.landmarks() != null ? FLAG_LANDMARKS : 0)));
        b.putShort((short) fp.length).put(fp);
        if (t.isFailed()) {
            b.putShort((short) failure.length).put(failure);
        }
        if (t.landmarks() != null) {
            for (Point p : t.landmarks().points()) {
                b.putFloat((float) p.x()).putFloat((float) p.y());
            }
        }
        b.putInt(dim);
        if (dim > 0) {
            for (float v : t.embedding().vector()) {
                b.putFloat(v);
            }
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** Reads a plain template; a protected one is refused (it needs {@link #decode(byte[], TemplateProtection)}). */
    public static Template decode(byte[] bytes) {
        if (bytes != null && TemplateProtection.isProtected(bytes)) {
            return decode(bytes, TemplateProtection.NONE);
        }
        if (bytes == null || bytes.length < 4 + 2 + 2 + 2 + 4 + 4) {
            throw corrupt("too short to be a sameface template (" + (bytes == null ? 0 : bytes.length) + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw corrupt("not a sameface template (wrong magic bytes)");
            }
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.position(4);
        try {
            int version = Short.toUnsignedInt(b.getShort());
            if (version != VERSION) {
                throw corrupt("template format version " + version + " is not supported (this build reads " + VERSION + ")");
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - 4);
            int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (stored != (int) crc.getValue()) {
                throw corrupt("template is corrupt or truncated (checksum mismatch)");
            }
            int flags = Short.toUnsignedInt(b.getShort());
            byte[] fp = new byte[Short.toUnsignedInt(b.getShort())];
            b.get(fp);
            ErrorCode failure = null;
            if ((flags & FLAG_FAILED) != 0) {
                byte[] name = new byte[Short.toUnsignedInt(b.getShort())];
                b.get(name);
                failure = parseFailure(new String(name, StandardCharsets.US_ASCII));
            }
            Landmarks5 landmarks = null;
            if ((flags & FLAG_LANDMARKS) != 0) {
                double[] xy = new double[10];
                for (int i = 0; i < 10; i++) {
                    xy[i] = b.getFloat();
                }
                landmarks = Landmarks5.of(xy);
            }
            int dim = b.getInt();
            if (dim < 0 || dim > MAX_DIMENSION || b.remaining() != 4L * dim + 4) {
                throw corrupt("template is truncated or has trailing bytes (dimension " + dim + ")");
            }
            String fingerprint = new String(fp, StandardCharsets.UTF_8);
            if (failure != null) {
                if (dim != 0) {
                    throw corrupt("a failed template must not carry a vector");
                }
                return new Template(fingerprint, null, landmarks, failure);
            }
            if (dim == 0) {
                throw corrupt("template has no vector and no failure code");
            }
            float[] v = new float[dim];
            double sumOfSquares = 0;
            for (int i = 0; i < dim; i++) {
                v[i] = b.getFloat();
                if (!Float.isFinite(v[i])) {
                    throw corrupt("template vector holds a non-finite value");
                }
                sumOfSquares += (double) v[i] * v[i];
            }
            double norm = Math.sqrt(sumOfSquares);
            if (!(Math.abs(norm - 1) <= NORM_TOLERANCE)) {
                throw corrupt(String.format(java.util.Locale.ROOT,
                        "template vector has L2 norm %.6g, not 1 within %.0e: altered or not made by sameface", norm, NORM_TOLERANCE));
            }
            return Template.of(fingerprint, new Embedding(v), landmarks);
        } catch (BufferUnderflowException e) {
            throw new FaceException(ErrorCode.TEMPLATE_FORMAT_ERROR, "template is truncated", e);
        }
    }

    private static ErrorCode parseFailure(String name) {
        try {
            return ErrorCode.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new FaceException(ErrorCode.TEMPLATE_FORMAT_ERROR, "template names an unknown failure code '" + name + "'", e);
        }
    }

    private static FaceException corrupt(String message) {
        return new FaceException(ErrorCode.TEMPLATE_FORMAT_ERROR, message);
    }
}
