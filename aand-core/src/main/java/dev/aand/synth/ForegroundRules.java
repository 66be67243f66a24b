package dev.aand.synth;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The per-category foreground rules of the official AAND code (MVTec AD, VisA, MVTec3D-RGB) plus
 * our rule for the cookie sample.
 *
 * <p>Dataset names are matched ignoring case and any non-alphanumeric characters: "mvtec",
 * "mvtec_ad", "MVTec AD" name MVTec AD; "visa" VisA; "mvtec3d", "mvtec_3d", "mvtec3d-rgb" MVTec3D.
 * A category named "cookie" outside MVTec3D (which has its own cookie category) gets
 * {@code above:120}. Anything else is unknown and falls back to {@link ForegroundRule#WHOLE}:
 * the whole image may receive anomalies, which is always safe but may paste defects onto the
 * background of object categories -- pass an explicit rule for such data.
 */
public final class ForegroundRules {
    private ForegroundRules() {}

    private static final ForegroundRule ABOVE_50 = ForegroundRule.above(50);

    private static final Map<String, ForegroundRule> MVTEC_AD = Map.ofEntries(
            Map.entry("carpet", ForegroundRule.WHOLE),
            Map.entry("grid", ForegroundRule.WHOLE),
            Map.entry("leather", ForegroundRule.WHOLE),
            Map.entry("tile", ForegroundRule.WHOLE),
            Map.entry("wood", ForegroundRule.WHOLE),
            Map.entry("transistor", ForegroundRule.WHOLE),
            Map.entry("capsule", ForegroundRule.below(150)),
            Map.entry("screw", ForegroundRule.below(150)),
            Map.entry("zipper", ForegroundRule.below(150)),
            Map.entry("hazelnut", ABOVE_50),
            Map.entry("metal_nut", ABOVE_50),
            Map.entry("pill", ABOVE_50),
            Map.entry("toothbrush", ABOVE_50),
            Map.entry("bottle", ForegroundRule.DISC),
            // The official code gives cable the disc too (a typo there); kept for parity.
            Map.entry("cable", ForegroundRule.DISC));

    private static final Map<String, ForegroundRule> VISA = Map.ofEntries(
            Map.entry("candle", ForegroundRule.above(150)),
            Map.entry("cashew", ForegroundRule.above(150)),
            Map.entry("chewinggum", ForegroundRule.above(150)),
            Map.entry("fryum", ForegroundRule.above(150)),
            Map.entry("macaroni1", ForegroundRule.above(150)),
            Map.entry("macaroni2", ForegroundRule.above(150)),
            Map.entry("pcb1", ForegroundRule.above(150)),
            Map.entry("pcb2", ForegroundRule.above(100)),
            Map.entry("pcb3", ForegroundRule.above(100)),
            Map.entry("pipe_fryum", ForegroundRule.above(100)),
            Map.entry("pcb4", ABOVE_50),
            Map.entry("capsules", ForegroundRule.below(100)));

    private static final Map<String, ForegroundRule> MVTEC_3D = Map.ofEntries(
            Map.entry("foam", ForegroundRule.RECT),
            Map.entry("tire", ForegroundRule.RECT),
            Map.entry("bagel", ABOVE_50),
            Map.entry("cable_gland", ABOVE_50),
            Map.entry("carrot", ABOVE_50),
            Map.entry("cookie", ABOVE_50),
            Map.entry("dowel", ABOVE_50),
            Map.entry("peach", ABOVE_50),
            Map.entry("potato", ABOVE_50),
            Map.entry("rope", ABOVE_50));

    /** Our threshold for the cookie sample: above 50 would keep 93% of the frame (the tray). */
    private static final ForegroundRule COOKIE = ForegroundRule.above(120);

    /** The table's rule, or {@link ForegroundRule#WHOLE} for an unknown dataset/category. */
    public static ForegroundRule defaultFor(String dataset, String category) {
        return find(dataset, category).orElse(ForegroundRule.WHOLE);
    }

    /** The table's rule, empty when the pair is not in it (so callers can warn). */
    public static Optional<ForegroundRule> find(String dataset, String category) {
        if (category == null) return Optional.empty();
        String c = category.trim().toLowerCase(Locale.ROOT);
        String d = dataset == null ? "" : dataset.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        Map<String, ForegroundRule> table = switch (d) {
            case "mvtec", "mvtecad" -> MVTEC_AD;
            case "visa" -> VISA;
            case "mvtec3d", "mvtec3drgb", "mvtec3dad" -> MVTEC_3D;
            default -> null;
        };
        if (table != null && table.containsKey(c)) return Optional.of(table.get(c));
        if (table != MVTEC_3D && c.equals("cookie")) return Optional.of(COOKIE);
        return Optional.empty();
    }
}
