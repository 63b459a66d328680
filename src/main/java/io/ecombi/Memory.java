package io.ecombi;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/** This JVM's peak memory: heap (sum of the heap pools' peaks) and resident set (VmHWM, Linux); and its CPU time. */
public final class Memory {
    private Memory() {}

    public static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) sum += pool.getPeakUsage().getUsed();
        }
        return sum;
    }

    /** Peak resident set size in bytes, or -1 where /proc is not there. */
    public static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return -1;
    }

    /** CPU seconds (user + system, every thread: JIT compiler and GC included) this process used so far, or -1. */
    public static double cpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(-1.0);
    }

    public static String summary() {
        return String.format(java.util.Locale.US, "peak heap %d MB, peak RSS %d MB, CPU %.1f s", peakHeapBytes() >> 20, peakRssBytes() >> 20, cpuSeconds());
    }
}
