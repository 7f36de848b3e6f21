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

    /** Of another process, as the operating system counts it (user and system time); 0 where it cannot tell. */
    static long nanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }
}
