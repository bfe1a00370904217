package dev.sameface.stages;

import dev.sameface.api.AlignerProvider;
import dev.sameface.api.DetectorProvider;
import dev.sameface.api.EmbedderProvider;
import dev.sameface.api.MatcherProvider;
import dev.sameface.api.OptionSpec;
import dev.sameface.api.StageOptions;
import dev.sameface.api.StageProvider;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md's option reference is generated from the built-in providers' declared specs: every option
 * with its type, range and default. If a spec changes, this test fails and prints the table to paste.
 */
class OptionReferenceTest {
    /** The built-in providers as ServiceLoader finds them, in pipeline order. */
    static List<StageProvider<?>> builtIns() {
        List<StageProvider<?>> all = new ArrayList<>();
        for (Class<? extends StageProvider<?>> type : List.<Class<? extends StageProvider<?>>>of(
                cast(DetectorProvider.class), cast(AlignerProvider.class), cast(EmbedderProvider.class), cast(MatcherProvider.class))) {
            ServiceLoader.load(type).stream().map(ServiceLoader.Provider::get)
                    .filter(p -> p.getClass().getName().startsWith("dev.sameface.stages."))
                    .sorted(java.util.Comparator.comparing(StageProvider::name)).forEach(all::add);
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends StageProvider<?>> cast(Class<?> c) {
        return (Class<? extends StageProvider<?>>) c;
    }

    static String table() {
        StringBuilder sb = new StringBuilder("| plugin | option | allowed | default | meaning |\n|---|---|---|---|---|\n");
        for (StageProvider<?> p : builtIns()) {
            for (OptionSpec s : p.optionSpecs()) {
                sb.append("| `").append(p.name()).append("` | `").append(s.name()).append("` | ").append(s.allowed())
                        .append(" | `").append(s.defaultValue()).append("` | ").append(s.meaning()).append(" |\n");
            }
        }
        return sb.toString();
    }

    @Test
    void theConfigurationDocListsEveryDeclaredOptionWithItsRange() throws Exception {
        assertThat(builtIns()).extracting(StageProvider::name).contains("yunet", "ultralight", "similarity", "arcface", "cosine");
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        assertThat(doc).as("docs/configuration.md must hold this table verbatim (generated from the providers' optionSpecs()):%n%s", table())
                .contains(table());
    }

    @Test
    void everyBuiltInDefaultIsWithinItsOwnRangeAndOptionsAgreeWithSpecs() {
        for (StageProvider<?> p : builtIns()) {
            // StageOptions.of checks the defaults too: a provider shipping an out-of-range default fails here.
            StageOptions o = StageOptions.of(p.name(), p.optionSpecs(), java.util.Map.of());
            assertThat(p.options()).as(p.name()).isEqualTo(o.asMap());
        }
    }
}
