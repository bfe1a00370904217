package dev.sameface.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sameface.pipeline.Enrolment;
import dev.sameface.pipeline.StageTimings;

/** JSON output for {@code --json}: one object per invocation on stdout. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String write(Object o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new dev.sameface.api.FaceException(dev.sameface.api.ErrorCode.INTERNAL_ERROR, "cannot write JSON: " + e.getMessage(), e);
        }
    }

    static ObjectNode timings(StageTimings t) {
        ObjectNode n = object();
        n.put("decode_ms", ms(t.decodeNanos()));
        n.put("detect_ms", ms(t.detectNanos()));
        n.put("align_ms", ms(t.alignNanos()));
        n.put("embed_ms", ms(t.embedNanos()));
        n.put("total_ms", ms(t.totalNanos()));
        return n;
    }

    static ObjectNode enrolment(String path, Enrolment e) {
        ObjectNode n = object();
        n.put("image", path);
        n.put("faces", e.faces().size());
        if (e.template().isFailed()) {
            n.put("failure", e.template().failure().name());
        } else {
            var box = e.selected().box();
            n.putArray("box").add(box.x()).add(box.y()).add(box.width()).add(box.height());
            n.put("detector_score", e.selected().score());
        }
        n.set("timings", timings(e.timings()));
        return n;
    }

    static double ms(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }
}
