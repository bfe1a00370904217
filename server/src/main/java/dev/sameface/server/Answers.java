package dev.sameface.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sameface.api.AlignedFace;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Image;
import dev.sameface.api.Landmarks5;
import dev.sameface.api.Point;
import dev.sameface.pipeline.Enrolment;
import dev.sameface.pipeline.StageTimings;
import dev.sameface.pipeline.Verification;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;

/**
 * The JSON the API answers with: one writer for every endpoint, so field names and units agree. The command line's
 * {@code --json} output uses the same decision and timing objects.
 */
public final class Answers {
    static final ObjectMapper JSON = new ObjectMapper();

    private Answers() {
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static String write(ObjectNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new FaceException(ErrorCode.INTERNAL_ERROR, "could not write JSON: " + e.getOriginalMessage(), e);
        }
    }

    static ObjectNode error(int status, String code, String message) {
        ObjectNode n = object();
        ObjectNode e = n.putObject("error");
        e.put("status", status);
        e.put("code", code);
        e.put("message", message);
        return n;
    }

    /** Milliseconds with two decimals. */
    public static double ms(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }

    /** Per-stage times of one image, in ms. */
    public static ObjectNode timings(StageTimings t) {
        ObjectNode n = object();
        n.put("decode_ms", ms(t.decodeNanos()));
        n.put("detect_ms", ms(t.detectNanos()));
        n.put("align_ms", ms(t.alignNanos()));
        n.put("embed_ms", ms(t.embedNanos()));
        n.put("total_ms", ms(t.totalNanos()));
        return n;
    }

    /**
     * The decision: {@code same}, {@code score} (null when an image had no usable face), {@code threshold}, the FMR it
     * was calibrated at (when known) and the {@code reason}.
     */
    public static ObjectNode decision(Verification v, String thresholdFmr) {
        ObjectNode n = object();
        n.put("same", v.same());
        if (Double.isNaN(v.score())) {
            n.putNull("score");
        } else {
            n.put("score", v.score());
        }
        n.put("threshold", v.threshold());
        if (thresholdFmr != null) {
            n.put("threshold_fmr", thresholdFmr);
        }
        n.put("reason", v.reason());
        return n;
    }

    /** One image's result: faces found, the chosen box and its five landmarks, or why it failed; stage timings. */
    public static ObjectNode image(Enrolment e, Optional<AlignedFace> crop) {
        ObjectNode n = object();
        n.put("faces", e.faces().size());
        if (e.template().isFailed()) {
            n.put("failure", e.template().failure().name());
        } else {
            var box = e.selected().box();
            n.putArray("box").add(box.x()).add(box.y()).add(box.width()).add(box.height());
            n.put("detector_score", e.selected().score());
            n.set("landmarks", landmarks(e.selected().landmarks()));
            n.set("eyes", eyes(e.selected().landmarks()));
        }
        n.set("timings", timings(e.timings()));
        crop.ifPresent(c -> n.put("aligned_png", png(c.crop())));
        return n;
    }

    /** Five points in image pixels: image-left eye, image-right eye, nose, image-left and image-right mouth corners. */
    static ArrayNode landmarks(Landmarks5 l) {
        ArrayNode a = JSON.createArrayNode();
        for (Point p : l.points()) {
            a.addArray().add(p.x()).add(p.y());
        }
        return a;
    }

    /** Eye centres named as the subject sees them (FRVT's convention), in image pixels. */
    static ObjectNode eyes(Landmarks5 l) {
        ObjectNode n = object();
        n.putArray("subject_right").add(l.subjectRightEye().x()).add(l.subjectRightEye().y());
        n.putArray("subject_left").add(l.subjectLeftEye().x()).add(l.subjectLeftEye().y());
        return n;
    }

    /** The aligned crop as base64 PNG, for a person to look at (the web page shows it). */
    static String png(Image crop) {
        Image rgb = crop.toRgb();
        BufferedImage img = new BufferedImage(rgb.width(), rgb.height(), BufferedImage.TYPE_INT_RGB);
        byte[] px = rgb.pixels();
        for (int y = 0, i = 0; y < rgb.height(); y++) {
            for (int x = 0; x < rgb.width(); x++, i += 3) {
                img.setRGB(x, y, (px[i] & 0xff) << 16 | (px[i + 1] & 0xff) << 8 | (px[i + 2] & 0xff));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new FaceException(ErrorCode.INTERNAL_ERROR, "could not encode the aligned crop as PNG: " + e.getMessage(), e);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
