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

    /** The same object the HTTP server answers with. */
    static ObjectNode timings(StageTimings t) {
        return dev.sameface.server.Answers.timings(t);
    }

    /** One image's result as the HTTP server gives it (faces, box, landmarks, eyes or failure, timings), with its path first. */
    static ObjectNode enrolment(String path, Enrolment e) {
        ObjectNode n = object();
        n.put("image", path);
        n.setAll(dev.sameface.server.Answers.image(e, java.util.Optional.empty()));
        return n;
    }

    static double ms(long nanos) {
        return dev.sameface.server.Answers.ms(nanos);
    }
}
