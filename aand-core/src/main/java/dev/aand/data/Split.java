package dev.aand.data;

/** The three parts of a dataset. */
public enum Split {
    TRAIN,
    VALIDATION,
    TEST
}
