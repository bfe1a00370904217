package dev.sameface.api;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One option a stage understands: its name, type, allowed range and default, declared by the provider
 * ({@link StageProvider#optionSpecs()}) so that the pipeline checks every value at start-up, before any model is
 * loaded, and the documentation can list them all. Values stay strings in the configuration.
 *
 * @param name        the key, kebab-case
 * @param type        how the value is read
 * @param defaultValue the value when the configuration gives none
 * @param min         smallest allowed number (NUMBER, INTEGER), or NaN for no bound
 * @param max         largest allowed number (NUMBER, INTEGER), or NaN for no bound
 * @param keywords    words accepted besides a value of the type (e.g. {@code manifest}); for CHOICE, the choices
 * @param excluded    a number refused even inside the range (e.g. a scale of 0), or NaN for none
 * @param meaning     one line for the documentation
 */
public record OptionSpec(String name, Type type, String defaultValue, double min, double max, List<String> keywords,
                         double excluded, String meaning) {
    /** What a value must parse as. Numbers are always finite: NaN and infinities are refused for every type. */
    public enum Type { NUMBER, INTEGER, FLAG, CHOICE, TEXT }

    public OptionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        keywords = List.copyOf(keywords);
        meaning = meaning == null ? "" : meaning;
    }

    /** A finite number in [min, max] (NaN: unbounded on that side). */
    public static OptionSpec number(String name, String defaultValue, double min, double max, String meaning) {
        return new OptionSpec(name, Type.NUMBER, defaultValue, min, max, List.of(), Double.NaN, meaning);
    }

    /** A whole number in [min, max]. */
    public static OptionSpec integer(String name, String defaultValue, long min, long max, String meaning) {
        return new OptionSpec(name, Type.INTEGER, defaultValue, min, max, List.of(), Double.NaN, meaning);
    }

    public static OptionSpec flag(String name, String defaultValue, String meaning) {
        return new OptionSpec(name, Type.FLAG, defaultValue, Double.NaN, Double.NaN, List.of(), Double.NaN, meaning);
    }

    /** One of a fixed set of words (compared ignoring case). */
    public static OptionSpec choice(String name, String defaultValue, List<String> choices, String meaning) {
        return new OptionSpec(name, Type.CHOICE, defaultValue, Double.NaN, Double.NaN, choices, Double.NaN, meaning);
    }

    /** Free text the stage interprets itself (e.g. a model id, which the model cache then checks). */
    public static OptionSpec text(String name, String defaultValue, String meaning) {
        return new OptionSpec(name, Type.TEXT, defaultValue, Double.NaN, Double.NaN, List.of(), Double.NaN, meaning);
    }

    /** This spec, also accepting {@code words} in place of a value (e.g. {@code manifest}: "as the model says"). */
    public OptionSpec orKeywords(String... words) {
        return new OptionSpec(name, type, defaultValue, min, max, List.of(words), excluded, meaning);
    }

    /** This spec, refusing one number inside its range. */
    public OptionSpec except(double value) {
        return new OptionSpec(name, type, defaultValue, min, max, keywords, value, meaning);
    }

    /**
     * Checks one value. Throws {@link ErrorCode#CONFIG_ERROR} naming the stage, the key, the value and what is
     * allowed.
     */
    public void check(String stage, String value) {
        String v = value == null ? "" : value.trim();
        if (type != Type.CHOICE && keywords.stream().anyMatch(k -> k.equalsIgnoreCase(v))) {
            return;
        }
        boolean ok = switch (type) {
            case NUMBER -> inRange(parseDouble(v));
            case INTEGER -> isWhole(v) && inRange(parseDouble(v));
            case FLAG -> Set.of("true", "false", "yes", "no", "on", "off").contains(v.toLowerCase(Locale.ROOT));
            case CHOICE -> keywords.stream().anyMatch(k -> k.equalsIgnoreCase(v));
            // What the text means is the stage's to check (a model id is checked by the model cache); an older plugin's
            // untyped options are TEXT too and may default to "".
            case TEXT -> true;
        };
        if (!ok) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, stage + " option '" + name + "' = '" + value + "' is not allowed; it must be "
                    + allowed());
        }
    }

    private boolean inRange(double d) {
        return Double.isFinite(d) && (Double.isNaN(min) || d >= min) && (Double.isNaN(max) || d <= max)
                && !(d == excluded);
    }

    private static boolean isWhole(String v) {
        return v.matches("[+-]?\\d{1,18}");
    }

    private static double parseDouble(String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** What is allowed, in words: e.g. "a number in [0, 1]", "a whole number from 1 to 1000", "true or false". */
    public String allowed() {
        String base = switch (type) {
            case NUMBER -> "a finite number" + range();
            case INTEGER -> "a whole number" + range();
            case FLAG -> "true or false";
            case CHOICE -> "one of " + String.join(", ", new TreeSet<>(keywords));
            case TEXT -> "text";
        };
        if (!Double.isNaN(excluded)) {
            base += ", not " + format(excluded);
        }
        if (type != Type.CHOICE && !keywords.isEmpty()) {
            base += ", or " + String.join(", ", keywords);
        }
        return base;
    }

    private String range() {
        boolean lo = !Double.isNaN(min);
        boolean hi = !Double.isNaN(max);
        if (lo && hi) {
            return " in [" + format(min) + ", " + format(max) + "]";
        }
        if (lo) {
            return " >= " + format(min);
        }
        return hi ? " <= " + format(max) : "";
    }

    private static String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
