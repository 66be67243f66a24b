package dev.aand.backbone.weights;

import java.util.Locale;

/** Element types a weight tensor may have on the host, with their names in torch and safetensors. */
public enum DType {
    F64(8, "DoubleStorage", "F64", true),
    F32(4, "FloatStorage", "F32", true),
    F16(2, "HalfStorage", "F16", true),
    BF16(2, "BFloat16Storage", "BF16", true),
    I64(8, "LongStorage", "I64", false),
    I32(4, "IntStorage", "I32", false),
    I16(2, "ShortStorage", "I16", false),
    I8(1, "CharStorage", "I8", false),
    U8(1, "ByteStorage", "U8", false),
    BOOL(1, "BoolStorage", "BOOL", false);

    private final int byteSize;
    private final String torchStorage;
    private final String safetensorsName;
    private final boolean floating;

    DType(int byteSize, String torchStorage, String safetensorsName, boolean floating) {
        this.byteSize = byteSize;
        this.torchStorage = torchStorage;
        this.safetensorsName = safetensorsName;
        this.floating = floating;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** True for F64/F32/F16/BF16. */
    public boolean isFloating() {
        return floating;
    }

    /** The dtype string used in safetensors headers ("F32", "I64", ...). */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** Class name of the legacy torch storage type ("FloatStorage", ...). */
    public String torchStorageName() {
        return torchStorage;
    }

    /** The type for a safetensors dtype string, or null if unknown or unsupported. */
    public static DType fromSafetensors(String name) {
        for (DType t : values()) {
            if (t.safetensorsName.equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** The type for a torch storage class name such as "FloatStorage", or null if unsupported. */
    public static DType fromTorchStorage(String className) {
        for (DType t : values()) {
            if (t.torchStorage.equals(className)) {
                return t;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
