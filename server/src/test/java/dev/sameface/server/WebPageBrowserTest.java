package dev.sameface.server;

import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page at {@code /} in Debian's headless Chromium: two LFW photos of one person, then of two people, chosen
 * through the page's file inputs as a person would; checks what the page shows and keeps a screenshot of each
 * under {@code target/} for a person to look at.
 */
class WebPageBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static SamefaceServer server;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws InterruptedException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("headless Chromium is missing: run  apt-get install -y chromium chromium-driver  (as .ci/run does)");
        }
        server = SamefaceServer.start(TestData.defaultConfig(), ServerSettings.defaults().withPort(0).withPipelines(1));
        assertThat(server.pool().awaitLoaded(Duration.ofMinutes(2))).as("pipelines loaded: %s", server.pool().failure()).isTrue();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1100,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void twoPhotosOfOnePersonAreShownSameWithBoxesLandmarksCropsAndTimings() throws IOException {
        show(TestData.lfw("George_W_Bush", 1), TestData.lfw("George_W_Bush", 2), "SAME person");
        assertThat(score()).isGreaterThanOrEqualTo(threshold());
        screenshot("server-page-same.png");
    }

    @Test
    void twoPeopleAreShownDifferent() throws IOException {
        show(TestData.lfw("George_W_Bush", 1), TestData.lfw("Tony_Blair", 1), "DIFFERENT people");
        assertThat(score()).isLessThan(threshold());
        screenshot("server-page-different.png");
    }

    private void show(Path a, Path b, String decision) {
        browser.get("http://127.0.0.1:" + server.port() + "/");
        browser.findElement(By.id("fileA")).sendKeys(a.toAbsolutePath().toString());
        browser.findElement(By.id("fileB")).sendKeys(b.toAbsolutePath().toString());
        JavascriptExecutor js = (JavascriptExecutor) browser;
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> {
            Object shown = js.executeScript("return document.getElementById('result').style.display === 'block'"
                    + " && document.getElementById('canvasA').dataset.landmarks === '5' && document.getElementById('canvasB').dataset.landmarks === '5'"
                    + " && document.getElementById('cropA').naturalWidth > 0 && document.getElementById('cropB').naturalWidth > 0");
            return Boolean.TRUE.equals(shown) || !browser.findElement(By.id("error")).getText().isEmpty();
        });
        assertThat(browser.findElement(By.id("error")).getText()).isEmpty();
        assertThat(browser.findElement(By.id("decision")).getText()).isEqualTo(decision);
        for (String side : new String[]{"A", "B"}) {
            // The photo is drawn at its own size with the box and five landmarks over it; the crop is the embedder's 112x112.
            assertThat(js.executeScript("return document.getElementById('canvas" + side + "').width")).isEqualTo(250L);
            assertThat(Integer.parseInt((String) js.executeScript("return document.getElementById('canvas" + side + "').dataset.faces"))).isPositive();
            assertThat(js.executeScript("return document.getElementById('crop" + side + "').naturalWidth")).isEqualTo(112L);
            assertThat(js.executeScript("return document.getElementById('crop" + side + "').naturalHeight")).isEqualTo(112L);
            assertThat(browser.findElement(By.id("info" + side)).getText()).contains("face(s) found");
        }
        // Two photos and the match: a row each in the timings table, every stage time a number.
        assertThat(browser.findElements(By.cssSelector("#timings tbody tr"))).hasSize(3);
        String embedA = browser.findElement(By.cssSelector("#timings tbody tr:nth-child(1) td:nth-child(5)")).getText();
        assertThat(Double.parseDouble(embedA)).isPositive();
        // The bar is filled to the score, the mark sits at the threshold.
        double fill = Double.parseDouble(((String) js.executeScript("return document.getElementById('scoreFill').style.width")).replace("%", ""));
        double mark = Double.parseDouble(((String) js.executeScript("return document.getElementById('thresholdMark').style.left")).replace("%", ""));
        assertThat(fill / 100).isCloseTo(Math.max(0, score()), org.assertj.core.api.Assertions.within(1e-3));
        assertThat(mark / 100).isCloseTo(threshold(), org.assertj.core.api.Assertions.within(1e-3));
    }

    private double score() {
        return Double.parseDouble(browser.findElement(By.id("score")).getText());
    }

    private double threshold() {
        return Double.parseDouble(browser.findElement(By.id("threshold")).getText());
    }

    private static void screenshot(String name) throws IOException {
        File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(target)).isPositive();
    }
}
