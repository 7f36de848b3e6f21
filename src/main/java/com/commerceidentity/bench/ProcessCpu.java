package com.commerceidentity.bench;

import java.lang.management.ManagementFactory;

/** CPU time of the whole JVM (every thread, the collector and the JIT compilers included). */
final class ProcessCpu {
    private ProcessCpu() {
    }

    static long nanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
