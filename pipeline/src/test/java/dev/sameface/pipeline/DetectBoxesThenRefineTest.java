package dev.sameface.pipeline;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.sameface.api.DetectedFace;
import dev.sameface.api.Detector;
import dev.sameface.api.Image;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.image.ImageDecoder;
import dev.sameface.pipeline.registry.EngineRegistry;
import dev.sameface.pipeline.registry.StageRegistry;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipeline selects on boxes and refines only the chosen face: its enrolment must hold exactly the faces and the
 * chosen face's landmarks that a full {@link Detector#detect} gives, on real photos and a two-person picture.
 */
class DetectBoxesThenRefineTest {

    @ParameterizedTest
    @ValueSource(strings = {"ultralight", "yunet"})
    void enrolmentAgreesWithFullDetection(String detectorName) throws IOException {
        PipelineConfig config = detectorName.equals("yunet") ? TestData.yunetConfig() : TestData.defaultConfig();
        Injector injector = Guice.createInjector(new PipelineModule(config, TestData.cache(), EngineRegistry.load(), StageRegistry.load()));
        try (FacePipeline pipeline = injector.getInstance(FacePipeline.class)) {
            Detector detector = injector.getInstance(Detector.class);
            List<byte[]> inputs = new ArrayList<>();
            for (Path p : List.of(TestData.lfw("Colin_Powell", 1), TestData.lfw("Serena_Williams", 1), TestData.lfw("Ariel_Sharon", 2))) {
                inputs.add(ImageDecoder.read(p));
            }
            inputs.add(twoPeople());
            int multiFace = 0;
            for (byte[] bytes : inputs) {
                Image rgb = ImageDecoder.DEFAULT.decode(bytes, "input").toRgb();
                List<DetectedFace> full = detector.detect(rgb);
                Enrolment e = pipeline.enrol(bytes, "input");
                assertThat(e.template().isFailed()).isFalse();
                assertThat(e.faces()).hasSameSizeAs(full);
                for (int i = 0; i < full.size(); i++) {
                    assertThat(e.faces().get(i).box()).isEqualTo(full.get(i).box());
                    assertThat(e.faces().get(i).score()).isEqualTo(full.get(i).score());
                }
                // The chosen face carries exactly the landmarks full detection gives it.
                assertThat(full).contains(e.selected());
                assertThat(e.faces()).contains(e.selected());
                if (full.size() > 1) {
                    multiFace++;
                    for (DetectedFace f : e.faces()) {
                        if (!f.equals(e.selected()) && detectorName.equals("ultralight")) {
                            // Only the chosen face went through the landmark model.
                            assertThat(f.landmarks().nose().x()).isZero();
                        }
                    }
                }
            }
            assertThat(multiFace).as("the two-person picture shows two faces").isGreaterThanOrEqualTo(1);
        }
    }

    private static byte[] twoPeople() throws IOException {
        BufferedImage a = ImageIO.read(TestData.lfw("Gloria_Macapagal_Arroyo", 1).toFile());
        BufferedImage b = ImageIO.read(TestData.lfw("Tony_Blair", 1).toFile());
        BufferedImage group = new BufferedImage(620, 400, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = group.createGraphics();
        g.drawImage(a, 0, 100, 200, 200, null);
        g.drawImage(b, 220, 0, 400, 400, null);
        g.dispose();
        return BadInputTest.jpeg(group);
    }
}
