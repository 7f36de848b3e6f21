package com.commerceidentity.bench;

import java.lang.management.ManagementFactory;

/** CPU time of a whole process: this JVM (every thread, the collector and the JIT compilers included) or another. */
final class ProcessCpu {
    private ProcessCpu() {
    }

    static long nanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** What the JIT compilers have spent compiling in this JVM so far, in ms (the JVM's estimate); -1 where it does not say. */
    static long compilingMillis() {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /** What the garbage collectors have spent in this JVM so far, in ms. */
    static long collectingMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(gc -> Math.max(0, gc.getCollectionTime())).sum();
    }

    /** Of another process, as the operating system counts it (user and system time); 0 where it cannot tell. */
    static long nanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }
}
