package dev.aand.report;

import dev.aand.metrics.Evaluation;
import dev.aand.metrics.ProCurve;
import dev.aand.metrics.RocCurve;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the report's data from an evaluation and the images kept while it ran. */
public final class TestReport {
    private TestReport() {}

    public static ReportData of(String dataset, String category, Map<String, String> model, Evaluation e,
            List<ReportData.ImageEntry> images) {
        Evaluation.Summary o = e.overall();
        ReportData.Metrics metrics = new ReportData.Metrics(o.imageAuroc(), o.pixelAuroc(), o.pixelAupro(),
                o.imageF1Max(), o.imageThreshold(), o.nImages(), o.nAnomalous());
        List<ReportData.DefectMetrics> defects = new ArrayList<>();
        e.byDefect().forEach((d, s) -> defects.add(
                new ReportData.DefectMetrics(d, s.nImages(), s.imageAuroc(), s.pixelAuroc(), s.pixelAupro())));
        ReportData.Curves curves = new ReportData.Curves(roc(e.imageRoc()), roc(e.pixelRoc()), pro(e.pro()));
        return new ReportData(dataset, category, model, metrics, defects, curves, images);
    }

    private static ReportData.Curve roc(RocCurve c) {
        return c == null ? null : new ReportData.Curve(c.fpr(), c.tpr());
    }

    private static ReportData.Curve pro(ProCurve c) {
        return c == null ? null : new ReportData.Curve(c.fpr(), c.pro());
    }
}
