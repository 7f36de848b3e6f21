package com.commerceidentity.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a benchmark against a real PostgreSQL 16 without installing one: starts the embedded server of the test
 * dependencies (zonky binaries) with the durability of a production server ({@code fsync}, {@code synchronous_commit}
 * and {@code full_page_writes} on; the tests turn them off), creates a fresh database, points {@code app.db.url} and
 * {@code app.db.user} at it, runs the named benchmark's {@code main} in this JVM, and stops the server. Test scope
 * (hence under src/test), like the server binaries it needs.
 *
 * <pre>mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath
 * java -Xmx256m -XX:+UseParallelGC -cp target/test-classes:target/classes:$(cat target/test.classpath) \
 *     com.commerceidentity.bench.PgBench DropBenchmark 1000000</pre>
 *
 * The first argument is a benchmark class (a simple name is taken from this package), the rest are its own
 * arguments. Afterwards it prints the CPU time the PostgreSQL server spent during the run (all its processes),
 * which the benchmarks' own CPU figures leave out. {@code -Dbench.pg.dir=/path} puts the server's data directory
 * under that directory (default: the JVM's temporary directory): it must be on the disk the figures are meant for,
 * not a tmpfs, where {@code fsync} costs nothing. {@code -Dbench.pg.max-connections} (default 100) bounds the
 * server's connections. {@code -Dbench.pg.server.<setting>=<value>} sets any other server setting, e.g.
 * {@code log_min_duration_statement=0} to count the statements a run sends (the server's log goes to this JVM's).
 */
public final class PgBench {
    private static final String SERVER_SETTING = "bench.pg.server.";

    private PgBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: PgBench <benchmark class, e.g. DropBenchmark | WebhookBenchmark | SyncBenchmark>"
                    + " [its arguments ...]");
            System.exit(2);
        }
        Method benchmark = mainOf(args[0]);
        String[] benchmarkArgs = Arrays.copyOfRange(args, 1, args.length);
        if (System.getProperty("app.db.url") != null) {
            throw new IllegalArgumentException("PgBench sets app.db.url itself (to the server it starts); drop -Dapp.db.url="
                    + System.getProperty("app.db.url"));
        }
        Path parent = Path.of(System.getProperty("bench.pg.dir", System.getProperty("java.io.tmpdir")));
        Files.createDirectories(parent);
        Path data = Files.createTempDirectory(parent, "cif-pg-bench");
        String fileSystem = Files.getFileStore(data).type();
        int status = 0;
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true)
                // zonky's builder turns synchronous_commit off by default: a commit would not wait for its WAL flush
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", System.getProperty("bench.pg.max-connections", "100"))
                .setServerConfig("listen_addresses", "127.0.0.1");
        // -Dbench.pg.server.log_min_duration_statement=0 and the like: to see which statements a run sends
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith(SERVER_SETTING)) {
                builder.setServerConfig(key.substring(SERVER_SETTING.length()), System.getProperty(key));
            }
        }
        try (EmbeddedPostgres pg = builder.start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE bench");
            }
            String version;
            try (Connection c = pg.getDatabase("postgres", "bench").getConnection(); Statement st = c.createStatement();
                 var rs = st.executeQuery("SHOW server_version")) {
                rs.next();
                version = rs.getString(1);
            }
            String url = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/bench";
            System.setProperty("app.db.url", url);
            System.setProperty("app.db.user", "postgres");
            System.out.printf("PostgreSQL %s at %s, data in %s (%s), fsync on, synchronous_commit on%n", version, url, data,
                    fileSystem);
            if (fileSystem.equals("tmpfs") || fileSystem.equals("ramfs")) {
                System.out.println("WARNING: the data directory is in memory (" + fileSystem + "): commits cost no disk"
                        + " flush; give -Dbench.pg.dir=<a directory on disk> for figures that mean anything");
            }
            ServerCpu cpu = ServerCpu.of(data);
            long before = cpu.nanos();
            long started = System.nanoTime();
            try {
                benchmark.invoke(null, (Object) benchmarkArgs);
            } catch (InvocationTargetException e) {
                System.err.println(args[0] + " failed:");
                e.getCause().printStackTrace();
                status = 1;
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long spent = cpu.nanos() - before;
            System.out.printf("PostgreSQL server CPU during the run: %s over %.1f s (all its processes; the app's figures"
                    + " above leave it out)%n", spent < 0 ? "unknown (no /proc)" : String.format("%.1f s", spent / 1e9),
                    seconds);
        }
        // The benchmark's app may leave pools with non-daemon threads behind; the server is stopped, the run is over.
        System.exit(status);
    }

    private static Method mainOf(String name) throws ClassNotFoundException, NoSuchMethodException {
        String className = name.contains(".") ? name : PgBench.class.getPackageName() + "." + name;
        try {
            return Class.forName(className).getMethod("main", String[].class);
        } catch (ClassNotFoundException e) {
            throw new ClassNotFoundException("no benchmark class " + className + " (DropBenchmark, WebhookBenchmark,"
                    + " SyncBenchmark, ... or a fully qualified name)", e);
        }
    }

    /**
     * The server's CPU time from /proc: the postmaster's own and that of its children it has reaped (the
     * connections the app closed), plus its children still running (background writer, WAL writer, checkpointer,
     * open connections). Linux counts it in clock ticks of 1/100 s.
     */
    private record ServerCpu(long postmaster) {
        static ServerCpu of(Path data) throws IOException {
            List<String> pid = Files.readAllLines(data.resolve("postmaster.pid"));
            return new ServerCpu(Long.parseLong(pid.get(0).trim()));
        }

        /** -1 where /proc cannot tell. */
        long nanos() {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(postmaster), "stat"));
                // the fields after the command name, which is in parentheses and may hold spaces
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // utime, stime, cutime, cstime: fields 14-17 of proc(5), 12-15 counted from the state field at 0
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
                long live = ProcessHandle.of(postmaster).map(p -> p.descendants()
                        .mapToLong(ProcessCpu::nanos).sum()).orElse(0L);
                return ticks * 10_000_000L + live;
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
    }
}
