package dev.aand.report;

import dev.aand.metrics.Evaluation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlReportTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path tmp;

    @Test
    void writesSelfContainedReportWithCardsWorstFirst() throws Exception {
        ReportData data = SyntheticReport.build(42);
        Path reportDir = tmp.resolve("report");
        Path index = HtmlReport.write(data, reportDir);
        assertEquals(reportDir.resolve("index.html"), index);
        String html = Files.readString(index, StandardCharsets.UTF_8);

        // Well-formed: a plain XML parser must accept the page.
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        XPath xp = XPathFactory.newInstance().newXPath();
        assertEquals("html", doc.getDocumentElement().getTagName());
        assertEquals(1.0, (Double) xp.evaluate("count(/html/head/style)", doc, XPathConstants.NUMBER));
        assertTrue(xp.evaluate("/html/head/title", doc).contains("widget"));
        assertTrue(xp.evaluate("//header", doc).contains("wide_resnet50_2"), "model summary in header");

        // Metrics: 3 decimals, NaN as n/a.
        assertEquals("0.987", xp.evaluate("//tr[@data-key='image_auroc']/td", doc));
        assertEquals("0.953", xp.evaluate("//tr[@data-key='pixel_auroc']/td", doc));
        assertEquals("0.912", xp.evaluate("//tr[@data-key='pixel_aupro']/td", doc));
        assertEquals("0.800", xp.evaluate("//tr[@data-key='image_f1_max']/td", doc));
        assertEquals("6", xp.evaluate("//tr[@data-key='n_images']/td", doc));
        assertEquals(2.0, (Double) xp.evaluate("count(//table[@id='defects']/tbody/tr[not(@class)])", doc, XPathConstants.NUMBER));
        assertEquals("n/a", xp.evaluate("//table[@id='defects']/tbody/tr[2]/td[6]", doc));
        assertEquals("0.833", xp.evaluate("//table[@id='defects']/tbody/tr[1]/td[4]", doc));

        // One card per image, most anomalous first, same scores as the input.
        NodeList cards = (NodeList) xp.evaluate("//article[contains(concat(' ', @class, ' '), ' card ')]",
                doc, XPathConstants.NODESET);
        assertEquals(data.images().size(), cards.getLength());
        double[] shown = new double[cards.getLength()];
        int wrong = 0;
        for (int i = 0; i < shown.length; i++) {
            Element card = (Element) cards.item(i);
            shown[i] = Double.parseDouble(card.getAttribute("data-score"));
            if (i > 0) {
                assertTrue(shown[i] <= shown[i - 1], "cards must be in descending score order");
            }
            if (card.getAttribute("class").contains("wrong")) {
                wrong++;
            }
            assertEquals(2, card.getElementsByTagName("img").getLength(), "image + heatmap per card");
        }
        double[] input = data.images().stream().mapToDouble(ReportData.ImageEntry::score).toArray();
        Arrays.sort(input);
        double[] shownSorted = shown.clone();
        Arrays.sort(shownSorted);
        assertArrayEqualsExact(input, shownSorted);
        int expectedWrong = 0;
        for (ReportData.ImageEntry e : data.images()) {
            if ((e.score() >= e.threshold()) != e.anomalous()) {
                expectedWrong++;
            }
        }
        assertTrue(expectedWrong >= 2, "the synthetic set is built with a miss and a false alarm");
        assertEquals(expectedWrong, wrong);
        assertTrue(html.contains("Missed defect") && html.contains("False alarm"));

        // Self-contained: every image inline, nothing remote.
        NodeList imgs = doc.getElementsByTagName("img");
        assertTrue(imgs.getLength() >= 2 * data.images().size() + 2);
        for (int i = 0; i < imgs.getLength(); i++) {
            String src = ((Element) imgs.item(i)).getAttribute("src");
            assertTrue(src.startsWith("data:image/png;base64,") || src.startsWith("data:image/jpeg;base64,"),
                    "img src must be a data URI");
        }
        assertFalse(html.toLowerCase().contains("http://"), "no http references");
        assertFalse(html.toLowerCase().contains("https://"), "no https references");
        assertEquals(0, doc.getElementsByTagName("script").getLength());
        assertEquals(0, doc.getElementsByTagName("link").getLength());

        // Paths are escaped in the markup and read back verbatim.
        String odd = "test/good/002 <odd> & \"quoted\".png";
        assertFalse(html.contains(odd));
        assertTrue(html.contains("002 &lt;odd&gt; &amp; &quot;quoted&quot;.png"));
        assertEquals(1.0, (Double) xp.evaluate("count(//div[@class='path'][.=$p])".replace("$p", xpathLiteral(odd)),
                doc, XPathConstants.NUMBER));

        // Curve PNGs next to the page.
        for (String name : List.of("roc.png", "pro.png")) {
            BufferedImage img = ImageIO.read(reportDir.resolve(name).toFile());
            assertNotNull(img, name);
            assertEquals(ReportCharts.WIDTH, img.getWidth());
            assertEquals(ReportCharts.HEIGHT, img.getHeight());
        }

        // Page weight stays sane for 6 thumbnails.
        assertTrue(Files.size(index) < 600_000, "index.html is " + Files.size(index) + " bytes");

        if (Files.isExecutable(CHROMIUM)) {
            checkScreenshot(reportDir);
        }
    }

    @Test
    void reportWithoutImagesOrCurvesStillRenders() throws Exception {
        Evaluation.Summary m = new Evaluation.Summary(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0);
        ReportData data = new ReportData("ds", "cat", null, m, null, null, null);
        Path index = HtmlReport.write(data, tmp.resolve("empty"));
        String html = Files.readString(index);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        XPath xp = XPathFactory.newInstance().newXPath();
        assertEquals("n/a", xp.evaluate("//tr[@data-key='image_auroc']/td", doc));
        assertEquals(0.0, (Double) xp.evaluate("count(//article)", doc, XPathConstants.NUMBER));
        assertTrue(Files.exists(tmp.resolve("empty/roc.png")));
        assertFalse(Files.exists(tmp.resolve("empty/pro.png")), "no PRO chart without a PRO curve");
    }

    private void checkScreenshot(Path reportDir) throws Exception {
        Path script = Path.of("scripts", "screenshot-report.sh").toAbsolutePath();
        Path png = tmp.resolve("shot.png");
        int w = 1200;
        int h = 1500;
        Process p = new ProcessBuilder("bash", script.toString(), reportDir.toString(), png.toString(),
                Integer.toString(w), Integer.toString(h))
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("shot.log").toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("screenshot script timed out");
        }
        assertEquals(0, p.exitValue(), () -> "screenshot failed: " + readQuiet(tmp.resolve("shot.log")));
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "screenshot is a PNG");
        assertEquals(w, img.getWidth());
        assertEquals(h, img.getHeight());
        // Not blank: luminance varies, and a good share of pixels differ from the page background.
        int bg = img.getRGB(w - 2, h - 2) & 0xFFFFFF;
        double sum = 0;
        double sq = 0;
        long differ = 0;
        long n = 0;
        for (int y = 0; y < h; y += 2) {
            for (int x = 0; x < w; x += 2) {
                int c = img.getRGB(x, y) & 0xFFFFFF;
                double lum = 0.299 * (c >> 16) + 0.587 * ((c >> 8) & 0xFF) + 0.114 * (c & 0xFF);
                sum += lum;
                sq += lum * lum;
                differ += c != bg ? 1 : 0;
                n++;
            }
        }
        double var = sq / n - (sum / n) * (sum / n);
        assertTrue(var > 100, "screenshot looks blank (luminance variance " + var + ")");
        assertTrue(differ > n / 10, "screenshot is mostly one colour");
    }

    private static void assertArrayEqualsExact(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 0.0);
        }
    }

    private static String xpathLiteral(String s) {
        if (!s.contains("\"")) {
            return "\"" + s + "\"";
        }
        List<String> parts = new ArrayList<>();
        for (String piece : s.split("\"", -1)) {
            parts.add("\"" + piece + "\"");
        }
        return "concat(" + String.join(", '\"', ", parts) + ")";
    }

    private static String readQuiet(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }

}
