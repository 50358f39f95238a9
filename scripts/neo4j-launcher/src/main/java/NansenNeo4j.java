import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Runs an in-process Neo4j 5 (neo4j-harness) for Nansen's integration tests, then blocks until
 * SIGTERM/SIGINT, when it shuts the database down cleanly.
 *
 * Settings come from system properties (scripts/services.sh passes them):
 *   nansen.neo4j.dir        working directory (default ./neo4j-data); the harness makes a fresh subdirectory in it
 *   nansen.neo4j.host       listen address for Bolt and HTTP (default 127.0.0.1)
 *   nansen.neo4j.bolt.port  Bolt port (default 7697)
 *   nansen.neo4j.http.port  HTTP port (default 7478; 0 disables the HTTP connector)
 *   nansen.neo4j.pagecache  page cache size in MiB (default 512)
 *   nansen.neo4j.pidfile    if set, this process's pid is written there (and removed on shutdown)
 *
 * Auth is disabled and Bolt is plaintext: this server only ever listens on loopback.
 */
public final class NansenNeo4j {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("nansen.neo4j.dir", "neo4j-data")).toAbsolutePath();
        String host = System.getProperty("nansen.neo4j.host", "127.0.0.1");
        int boltPort = Integer.getInteger("nansen.neo4j.bolt.port", 7697);
        int httpPort = Integer.getInteger("nansen.neo4j.http.port", 7478);
        long pageCacheMiB = Long.getLong("nansen.neo4j.pagecache", 512L);
        String pidFile = System.getProperty("nansen.neo4j.pidfile");
        boolean auth = Boolean.getBoolean("nansen.neo4j.auth");
        Files.createDirectories(dir);
        if (pidFile != null) {
            Files.writeString(Path.of(pidFile), ProcessHandle.current().pid() + "\n");
        }

        var builder = Neo4jBuilders.newInProcessBuilder(dir)
                .withConfig(GraphDatabaseSettings.auth_enabled, auth)
                .withConfig(GraphDatabaseSettings.pagecache_memory, pageCacheMiB * 1024L * 1024L)
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress(host, boltPort))
                .withConfig(BoltConnector.advertised_address, new SocketAddress(host, boltPort))
                .withConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED);
        if (httpPort > 0) {
            builder = builder
                    .withConfig(HttpConnector.enabled, true)
                    .withConfig(HttpConnector.listen_address, new SocketAddress(host, httpPort))
                    .withConfig(HttpConnector.advertised_address, new SocketAddress(host, httpPort));
        } else {
            builder = builder.withDisabledServer();
        }

        long t0 = System.nanoTime();
        Neo4j neo4j;
        try {
            neo4j = builder.build();
        } catch (Throwable e) {
            // exit instead of hanging on Neo4j's non-daemon threads, so services.sh sees the failure at once
            e.printStackTrace(System.out);
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            System.out.println("NansenNeo4j failed to start: " + e + (root != e ? " (cause: " + root + ")" : ""));
            System.out.flush();
            Runtime.getRuntime().halt(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("NansenNeo4j stopping");
            try {
                neo4j.close();
            } catch (RuntimeException e) {
                e.printStackTrace();
            }
            if (pidFile != null) {
                try {
                    Files.deleteIfExists(Path.of(pidFile));
                } catch (java.io.IOException ignored) {
                    // the pid is dead either way; services.sh checks liveness, not just the file
                }
            }
            System.out.println("NansenNeo4j stopped");
            stopped.countDown();
        }, "nansen-neo4j-shutdown"));

        System.out.printf("NansenNeo4j started in %d ms: bolt=%s http=%s dir=%s%n",
                (System.nanoTime() - t0) / 1_000_000, neo4j.boltURI(), httpPort > 0 ? neo4j.httpURI() : "disabled", dir);
        System.out.flush();
        stopped.await();
    }
}
