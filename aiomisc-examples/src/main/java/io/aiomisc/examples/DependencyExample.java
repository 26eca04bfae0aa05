package io.aiomisc.examples;

import io.aiomisc.Entrypoint;
import io.aiomisc.Service;
import io.aiomisc.dependency.Dependencies;
import io.aiomisc.dependency.DependencyException;
import io.aiomisc.dependency.Inject;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's "Dependency injection" section, runnable: {@code bin/run-example dependencies [fail]}.
 * A "config" dependency and a "database" dependency made from it (aiomisc-dependency's
 * {@code @dependency} functions) are created once, before the services start, injected into two
 * services' {@link Inject} fields (their {@code __dependencies__}), and torn down after the services
 * stopped, in reverse order of creation: the database first, then the config. The program ends by
 * itself.
 *
 * <p>With {@code fail}, connecting the database fails: the entrypoint's start fails with a
 * {@link DependencyException} naming "database" (its cause the provider's exception), the config
 * already made is torn down, no service starts, and the program exits with status 1.
 */
public final class DependencyExample {
    private static final Logger log = LoggerFactory.getLogger(DependencyExample.class);

    private DependencyExample() {}

    /**
     * The "config" dependency.
     *
     * @param url      where the database is
     * @param poolSize how many connections it may have
     */
    record Config(String url, int poolSize) {}

    /** The "database" dependency: a stand-in for a connection pool, shared by every service. */
    static final class Database {
        private final String url;
        private final AtomicInteger queries = new AtomicInteger();

        Database(Config config) {
            this.url = config.url();
        }

        String query(String sql) {
            return "row " + queries.incrementAndGet() + " of '" + sql + "' from " + url;
        }

        void close() {
            log.info("Database {} closed after {} queries", url, queries.get());
        }
    }

    /** A service that needs the database: injected by the field's name, "database". */
    static final class Users extends Service {
        @Inject
        Database database;

        @Override
        public void start() {
            log.info("Users service started: {}", database.query("SELECT * FROM users"));
        }

        @Override
        public void stop(Throwable exception) {
            log.info("Users service stopped");
        }
    }

    /** Another one: the same database instance, and the config under another field name. */
    static final class Reports extends Service {
        @Inject
        Database database;

        @Inject("config")
        Config settings;

        @Override
        public void start() {
            log.info(
                    "Reports service started (pool size {}): {}",
                    settings.poolSize(),
                    database.query("SELECT count(*) FROM orders"));
        }

        @Override
        public void stop(Throwable exception) {
            log.info("Reports service stopped");
        }
    }

    /**
     * The providers: "config", and "database" made from it. The database's provider fails when
     * {@code failing}, as a database that refuses connections would.
     *
     * @param failing whether connecting the database fails
     * @return a registry for one entrypoint
     */
    static Dependencies dependencies(boolean failing) {
        return new Dependencies()
                .register(
                        "config",
                        resolved -> {
                            log.info("Creating dependency 'config'");
                            return new Config("db://127.0.0.1/shop", 4);
                        },
                        config -> log.info("Config released"))
                .register(
                        "database",
                        resolved -> {
                            Config config = resolved.get("config", Config.class); // a dependency's dependency
                            log.info("Creating dependency 'database' for {}", config.url());
                            if (failing) {
                                throw new IOException("connection refused: " + config.url());
                            }
                            return new Database(config);
                        },
                        Database::close);
    }

    /**
     * Runs the example.
     *
     * @param args {@code [fail]}: with {@code fail}, the database's provider fails
     * @throws Exception if the entrypoint fails for another reason
     */
    public static void main(String[] args) throws Exception {
        boolean failing = args.length > 0 && args[0].equals("fail");
        if (args.length > 1 || (args.length == 1 && !failing)) {
            System.err.println("Usage: DependencyExample [fail]");
            System.exit(2);
            return;
        }
        Users users = new Users();
        Reports reports = new Reports();
        try (Entrypoint entrypoint = Entrypoint.builder()
                .dependencies(dependencies(failing))
                .services(users, reports)
                .start()) {
            log.info(
                    "Dependencies created, in order: {}",
                    entrypoint.dependencies().created());
            log.info("Both services share one database: {}", users.database == reports.database);
            // what a task of the entrypoint would do to get a dependency by name
            entrypoint.runUntilComplete(() -> {
                Database database = Entrypoint.current().dependencies().get("database");
                log.info("A task asked for it by name: {}", database.query("SELECT 1"));
                return null;
            });
        } catch (DependencyException e) {
            log.error(
                    "The entrypoint did not start: {} (cause: {})",
                    e.getMessage(),
                    e.getCause().getMessage());
            System.exit(1);
            return;
        } catch (CancellationException stoppedBySignal) {
            log.info("Dependency example stopped before the end");
            return;
        }
        log.info("Dependency example finished");
    }
}
