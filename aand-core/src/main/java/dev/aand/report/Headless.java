package dev.aand.report;

/** Keeps Java2D off any display: reports are rendered on servers without X. */
final class Headless {
    private Headless() {}

    static void ensure() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
