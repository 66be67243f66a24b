package dev.aand.data;

import java.util.Locale;

/** Opens a dataset by layout name. */
public final class Datasets {
    public static final String[] KINDS = {"mvtec", "mvtec3d", "visa", "folder"};

    private Datasets() {}

    /** {@code kind} is one of {@link #KINDS} (case-insensitive). */
    public static AnomalyDataset open(String kind, DatasetOptions opts) {
        if (kind == null) {
            throw new DataException("dataset kind is missing (expected one of mvtec, mvtec3d, visa, folder)");
        }
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "mvtec" -> MvtecDataset.open(opts);
            case "mvtec3d" -> Mvtec3dDataset.open(opts);
            case "visa" -> VisaDataset.open(opts);
            case "folder" -> FolderDataset.open(opts);
            default -> throw new DataException("unknown dataset kind '" + kind
                    + "' (expected one of mvtec, mvtec3d, visa, folder)");
        };
    }
}
