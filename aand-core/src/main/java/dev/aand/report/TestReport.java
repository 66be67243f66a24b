package dev.aand.report;

import dev.aand.metrics.Evaluation;
import dev.aand.metrics.ProCurve;
import dev.aand.metrics.RocCurve;
import java.util.List;
import java.util.Map;

/** Builds the report's data from an evaluation and the images kept while it ran. */
public final class TestReport {
    private TestReport() {}

    public static ReportData of(String dataset, String category, Map<String, String> model, Evaluation e,
            List<ReportData.ImageEntry> images) {
        ReportData.Curves curves = new ReportData.Curves(roc(e.imageRoc()), roc(e.pixelRoc()), pro(e.pro()));
        return new ReportData(dataset, category, model, e.overall(), e.byDefect(), curves, images);
    }

    private static ReportData.Curve roc(RocCurve c) {
        return c == null ? null : new ReportData.Curve(c.fpr(), c.tpr());
    }

    private static ReportData.Curve pro(ProCurve c) {
        return c == null ? null : new ReportData.Curve(c.fpr(), c.pro());
    }
}
