package dev.sameface.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

/**
 * The one JSON writer of sameface's output: {@code result.json} and every command's {@code --json}. Keys are
 * snake_case — records' components are renamed ({@code targetFmr} becomes {@code target_fmr}), and hand-built
 * objects must use snake_case keys themselves — and the output is indented for people reading it.
 */
public final class JsonWriter {
    /** Also reads JSON back (tests, tools); reading does not depend on the naming strategy for trees. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private JsonWriter() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The value as indented JSON, without a trailing newline. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new FaceException(ErrorCode.INTERNAL_ERROR, "cannot write JSON: " + e.getMessage(), e);
        }
    }
}
