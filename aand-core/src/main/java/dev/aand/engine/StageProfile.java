package dev.aand.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link StageClock} that records, per stage, wall time, the calling thread's CPU time (with
 * one intra-op thread this is all of the engine's work, whatever else loads the machine), the
 * whole process's CPU time and the minor page faults, and summarises them as medians.
 * For one thread at a time.
 */
public final class StageProfile implements StageClock {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final Map<String, List<long[]>> samples = new LinkedHashMap<>();
    private boolean recording = true;
    private long wall;
    private long cpu;
    private long processCpu;
    private long faults;

    /** While false, laps are timed but not kept (warm-up). */
    public void recording(boolean on) {
        recording = on;
    }

    @Override
    public void start() {
        wall = System.nanoTime();
        cpu = THREADS.getCurrentThreadCpuTime();
        processCpu = processCpuNanos();
        faults = ProcessMemory.minorFaults();
    }

    @Override
    public void lap(String stage) {
        long w = System.nanoTime();
        long c = THREADS.getCurrentThreadCpuTime();
        long p = processCpuNanos();
        long f = ProcessMemory.minorFaults();
        if (recording) {
            samples.computeIfAbsent(stage, k -> new ArrayList<>()).add(new long[] {w - wall, c - cpu, p - processCpu,
                    f - faults});
        }
        wall = w;
        cpu = c;
        processCpu = p;
        faults = f;
    }

    /**
     * Per stage (in first-seen order) the medians over recorded runs: wall_ms, thread_cpu_ms,
     * process_cpu_ms, minor_faults; plus "total" summed per run.
     */
    public Map<String, Map<String, Object>> summary() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        int runs = samples.values().stream().mapToInt(List::size).max().orElse(0);
        long[][] total = new long[runs][4];
        samples.forEach((stage, list) -> {
            out.put(stage, medians(list));
            for (int i = 0; i < list.size() && i < runs; i++) {
                for (int k = 0; k < 4; k++) {
                    total[i][k] += list.get(i)[k];
                }
            }
        });
        if (!samples.isEmpty()) {
            out.put("total", medians(Arrays.asList(total)));
        }
        return out;
    }

    private static Map<String, Object> medians(List<long[]> list) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("wall_ms", ms(median(list, 0)));
        m.put("thread_cpu_ms", ms(median(list, 1)));
        m.put("process_cpu_ms", ms(median(list, 2)));
        m.put("minor_faults", (long) median(list, 3));
        m.put("runs", list.size());
        return m;
    }

    private static double median(List<long[]> list, int k) {
        long[] v = list.stream().mapToLong(a -> a[k]).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
    }

    private static double ms(double nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
