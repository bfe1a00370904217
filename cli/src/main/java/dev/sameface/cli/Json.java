package dev.sameface.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sameface.evaluation.JsonWriter;
import dev.sameface.pipeline.Enrolment;
import dev.sameface.pipeline.StageTimings;

/**
 * JSON output for {@code --json}: one object per invocation on stdout, written by the one {@link JsonWriter} that
 * also writes {@code result.json}, with snake_case keys (docs/configuration.md lists them per command).
 */
final class Json {
    static final ObjectMapper MAPPER = JsonWriter.MAPPER;

    private Json() {
    }

    static ObjectNode object() {
        return JsonWriter.object();
    }

    static String write(Object o) {
        return JsonWriter.write(o);
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
