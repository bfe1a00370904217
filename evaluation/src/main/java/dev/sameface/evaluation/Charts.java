package dev.sameface.evaluation;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The pictures a reader of an FRVT report looks for: the DET curve and the score histograms, as PNG and SVG. */
public final class Charts {
    private static final Color[] THRESHOLD_COLOURS = {
            new Color(0xD62728), new Color(0xFF7F0E), new Color(0x9467BD), new Color(0x8C564B), new Color(0x17BECF)};
    private static final Color[] CURVE_COLOURS = {
            new Color(0x1F77B4), new Color(0xD62728), new Color(0x2CA02C), new Color(0x9467BD), new Color(0xFF7F0E),
            new Color(0x8C564B), new Color(0xE377C2), new Color(0x17BECF)};
    private static final Color GENUINE = new Color(0x2CA02C);
    private static final Color IMPOSTOR = new Color(0x1F77B4);

    private Charts() {
    }

    /**
     * FNMR against FMR, both on log axes, one curve per configuration, with the target FMRs marked. Points with
     * FNMR = 0 cannot be drawn on a log axis and are left out.
     */
    public static XYChart det(EvaluationResult result) {
        XYChart chart = new XYChartBuilder().width(1000).height(720)
                .title("DET: " + result.protocol().name())
                .xAxisTitle("FMR (false match rate, log)").yAxisTitle("FNMR (false non-match rate, log)").build();
        style(chart);
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        double minFmr = 1;
        double minFnmr = 1;
        int drawn = 0;
        for (EvaluationResult.Configuration c : result.configurations()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (ScoreSet.DetPoint p : c.det()) {
                if (p.fmr() > 0 && p.fnmr() > 0) {
                    x.add(p.fmr());
                    y.add(p.fnmr());
                    minFmr = Math.min(minFmr, p.fmr());
                    minFnmr = Math.min(minFnmr, p.fnmr());
                }
            }
            if (x.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(c.label(), x, y);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineWidth(2.5f);
            s.setLineColor(CURVE_COLOURS[drawn % CURVE_COLOURS.length]);
            drawn++;
        }
        if (drawn == 0) {
            // An empty log chart cannot be rendered; draw an honest placeholder instead.
            XYSeries s = chart.addSeries("no errors to draw (FNMR = 0 everywhere)", new double[]{1e-3, 1}, new double[]{1e-3, 1e-3});
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(Color.LIGHT_GRAY);
            minFmr = 1e-3;
            minFnmr = 1e-3;
        }
        double xMin = Math.pow(10, Math.floor(Math.log10(minFmr)));
        double yMin = Math.pow(10, Math.floor(Math.log10(minFnmr)));
        chart.getStyler().setXAxisMin(xMin).setXAxisMax(1.0).setYAxisMin(yMin).setYAxisMax(1.0);
        for (double target : result.targetFmrs()) {
            if (target >= xMin && target < 1) {
                AnnotationLine line = new AnnotationLine(target, true, false);
                chart.addAnnotation(line);
                chart.addAnnotation(new AnnotationText("FMR " + fmrLabel(target), target, yMin * 1.4, false));
            }
        }
        chart.getStyler().setAnnotationLineColor(new Color(0x999999));
        chart.getStyler().setAnnotationLineStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{4f, 4f}, 0f));
        chart.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        chart.getStyler().setAnnotationTextFontColor(new Color(0x555555));
        return chart;
    }

    /**
     * Genuine and impostor score distributions of one configuration (each as the fraction of its own class per bin)
     * with a vertical line at the threshold of each measured target FMR.
     */
    public static XYChart histogram(EvaluationResult.Configuration c) {
        ScoreSet.Histogram h = c.histogram();
        XYChart chart = new XYChartBuilder().width(1000).height(620)
                .title("Scores: " + c.label())
                .xAxisTitle("similarity (cosine)").yAxisTitle("fraction of comparisons per bin").build();
        style(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        int bins = h.genuine().length;
        double[] x = new double[bins];
        double ymax = 0;
        for (int i = 0; i < bins; i++) {
            x[i] = h.from() + (i + 0.5) * h.binWidth();
            ymax = Math.max(ymax, Math.max(h.genuine()[i], h.impostor()[i]));
        }
        XYSeries imp = chart.addSeries(classLabel("impostor", c.impostors(), h.impostorFailed()), x, h.impostor());
        imp.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
        imp.setMarker(SeriesMarkers.NONE);
        imp.setFillColor(new Color(IMPOSTOR.getRed(), IMPOSTOR.getGreen(), IMPOSTOR.getBlue(), 110));
        imp.setLineColor(IMPOSTOR);
        XYSeries gen = chart.addSeries(classLabel("genuine", c.genuine(), h.genuineFailed()), x, h.genuine());
        gen.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
        gen.setMarker(SeriesMarkers.NONE);
        gen.setFillColor(new Color(GENUINE.getRed(), GENUINE.getGreen(), GENUINE.getBlue(), 110));
        gen.setLineColor(GENUINE);
        int k = 0;
        for (OperatingPoint p : c.operatingPoints()) {
            if (!p.measured()) {
                continue;
            }
            double t = p.threshold();
            XYSeries s = chart.addSeries(String.format(Locale.ROOT, "T = %.4f at FMR %s (FNMR %s)", t, fmrLabel(p.targetFmr()),
                    percent(p.fnmr())), new double[]{t, t}, new double[]{0, ymax * 1.05});
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineStyle(SeriesLines.DASH_DASH);
            s.setLineWidth(2f);
            s.setLineColor(THRESHOLD_COLOURS[k++ % THRESHOLD_COLOURS.length]);
        }
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(ymax * 1.1).setYAxisDecimalPattern("0.000");
        chart.getStyler().setXAxisMin(h.from()).setXAxisMax(h.from() + bins * h.binWidth());
        return chart;
    }

    private static String classLabel(String name, long comparisons, int failed) {
        return failed == 0 ? String.format(Locale.ROOT, "%s (%,d)", name, comparisons)
                : String.format(Locale.ROOT, "%s (%,d; %,d with a failed template, not drawn)", name, comparisons, failed);
    }

    private static void style(XYChart chart) {
        Styler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendBorderColor(new Color(0xCCCCCC));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAntiAlias(true);
        chart.getStyler().setPlotGridLinesColor(new Color(0xE5E5E5));
        chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    }

    /** Writes {@code base.png} and {@code base.svg}; returns the PNG. */
    public static Path save(XYChart chart, Path dir, String base) {
        Path png = dir.resolve(base + ".png");
        try {
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
            VectorGraphicsEncoder.saveVectorGraphic(chart, dir.resolve(base + ".svg").toString(),
                    VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new FaceException(ErrorCode.IO_ERROR, "cannot write chart " + png + ": " + e.getMessage(), e);
        }
        return png;
    }

    static String fmrLabel(double fmr) {
        int e = (int) Math.round(Math.log10(fmr));
        if (Math.abs(Math.pow(10, e) - fmr) < 1e-12 * fmr + 1e-15) {
            return "1e" + e;
        }
        return String.format(Locale.ROOT, "%.3g", fmr);
    }

    static String percent(double v) {
        if (v == 0) {
            return "0%";
        }
        return String.format(Locale.ROOT, v < 0.001 ? "%.4f%%" : "%.3f%%", 100 * v);
    }
}
