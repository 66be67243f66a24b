package dev.aand.spark;

/**
 * Spark logs every stage at INFO by default. A command-line run in local mode keeps warnings and
 * errors only; under spark-submit, or when the user names a log4j2 configuration, logging is left
 * to the cluster's settings.
 */
final class LocalLogging {
    static final String RESOURCE = "/dev/aand/spark/log4j2-local.properties";

    private LocalLogging() {}

    static void quietUnlessConfigured() {
        boolean submitted = System.getProperty("spark.master") != null;
        boolean configured = System.getProperty("log4j2.configurationFile") != null
                || System.getProperty("log4j.configurationFile") != null;
        var config = LocalLogging.class.getResource(RESOURCE);
        if (!submitted && !configured && config != null) {
            System.setProperty("log4j2.configurationFile", config.toString());
        }
    }
}
