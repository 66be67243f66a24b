package dev.aand.spark;

import org.apache.spark.TaskContext;

/**
 * Test-only hook: makes the first attempt of one scoring partition fail after it has handed rows
 * to the output writer, so a test can show that Spark's retry plus its output committer give every
 * image exactly once. Set the JVM property {@value #PROPERTY} to a partition index to arm it; it is
 * never set in production.
 */
final class FaultInjection {
    static final String PROPERTY = "aand.spark.test.failFirstAttemptOfPartition";

    private FaultInjection() {}

    /** Throws on attempt 0 of the armed partition once {@code rowsEmitted} rows have left it. */
    static void check(TaskContext ctx, long rowsEmitted) {
        String armed = System.getProperty(PROPERTY);
        if (armed != null && ctx != null && rowsEmitted > 0 && ctx.attemptNumber() == 0
                && ctx.partitionId() == Integer.parseInt(armed)) {
            throw new IllegalStateException("injected failure: partition " + ctx.partitionId() + ", attempt 0, after "
                    + rowsEmitted + " rows");
        }
    }
}
