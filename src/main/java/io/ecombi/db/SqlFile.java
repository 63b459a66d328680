package io.ecombi.db;

import org.springframework.jdbc.core.ColumnMapRowMapper;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One file of sql/, read afresh from disk (an edit counts at the next run): the one way ecombi runs
 * a SQL file. A file is one query, or a script of statements ended by ';'. The run's window and
 * settings are not parameters: the files read them from fact.params and fact.report_window, so each
 * file also runs as it is in psql against the last run. A value that differs between two calls of
 * the same file in one run (the churn model's feature date) is a named parameter {@code :#name},
 * always bound, never pasted into the text.
 */
public final class SqlFile {
    /** Rows a query reads from the server at a time: a per-customer result is never held whole. */
    public static final int FETCH_SIZE = 5000;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SqlFile.class);

    private final Path path;
    private final List<Statement> statements;
    private final String text;

    /** One statement: its text with ? for each :#name, the names in order, and its first line in the file. */
    private record Statement(String sql, List<String> parameters, int line) { }

    public interface RowReader { void read(ResultSet rs) throws SQLException; }

    public interface MapReader { void read(Map<String, Object> row) throws SQLException; }

    private SqlFile(Path path, List<Statement> statements, String text) {
        this.path = path;
        this.statements = statements;
        this.text = text;
    }

    public static SqlFile read(Path path) throws IOException {
        if (!Files.isRegularFile(path)) throw new java.io.FileNotFoundException("SQL file " + path + " does not exist");
        String text = Files.readString(path, StandardCharsets.UTF_8);
        return new SqlFile(path, parse(text), text);
    }

    public Path path() { return path; }

    /** The file's text as read, the text that runs (a provenance page shows it). */
    public String text() { return text; }

    /** SHA-256 of that text, in hex: which version of the file ran. */
    public String sha256() {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The named parameters the file takes, each once, in order of first use. */
    public Set<String> parameters() {
        Set<String> names = new LinkedHashSet<>();
        statements.forEach(s -> names.addAll(s.parameters()));
        return names;
    }

    public int statements() { return statements.size(); }

    /**
     * Runs a one-statement file as a query and hands each row to the reader. On a connection with
     * auto-commit off the rows stream from a server cursor, {@link #FETCH_SIZE} at a time.
     */
    public void query(Connection c, Map<String, ?> params, RowReader reader) throws SQLException {
        if (statements.size() != 1) {
            throw new IllegalArgumentException(path + " holds " + statements.size() + " statements; a query file holds one");
        }
        Statement s = statements.get(0);
        try (PreparedStatement ps = prepare(c, s, params)) {
            ps.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) reader.read(rs);
            }
        } catch (SQLException e) {
            throw located(s, e);
        }
    }

    /**
     * The query on a connection of its own, streamed: each row as column name to value, in column
     * order, the values as JDBC gives them. The transaction commits at the end (a query that also
     * writes, as sql/kpi/rfm_customers.sql does, keeps its rows) and rolls back on an error.
     */
    public void query(DataSource ds, Map<String, ?> params, MapReader reader) throws SQLException {
        ColumnMapRowMapper mapper = new ColumnMapRowMapper();
        int[] row = {0};
        inTransaction(ds, c -> query(c, params, rs -> reader.read(mapper.mapRow(rs, row[0]++))));
    }

    /** The query's rows as maps, for a small result. */
    public List<Map<String, Object>> rows(DataSource ds, Map<String, ?> params) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        query(ds, params, rows::add);
        return rows;
    }

    /**
     * Runs every statement in order on c; the caller owns the transaction. A statement that takes
     * more than half a second is named in the log with its time, so a slow step of a script shows.
     */
    public void execute(Connection c, Map<String, ?> params) throws SQLException {
        execute(c, params, (number, count, line) -> {});
    }

    /** Before each statement: its number (from 1), how many there are, the file line it starts on. */
    public interface BeforeStatement { void next(int number, int count, int line); }

    /** The same, telling before each statement which it is (a long load's progress says it). */
    public void execute(Connection c, Map<String, ?> params, BeforeStatement before) throws SQLException {
        for (Statement s : statements) {
            before.next(statements.indexOf(s) + 1, statements.size(), s.line());
            long t = System.nanoTime();
            try (PreparedStatement ps = prepare(c, s, params)) {
                ps.execute();
            } catch (SQLException e) {
                throw located(s, e);
            }
            double seconds = (System.nanoTime() - t) / 1e9;
            if (seconds > 0.5) LOG.info("{}: {} s for statement {} (line {}): {}", path, String.format(java.util.Locale.ROOT, "%.1f", seconds),
                    statements.indexOf(s) + 1, s.line(), s.sql().lines().findFirst().orElse(""));
        }
    }

    /** Runs every statement in one transaction of a connection of its own. */
    public void execute(DataSource ds, Map<String, ?> params) throws SQLException {
        inTransaction(ds, c -> execute(c, params));
    }

    /** Database work on one connection. */
    public interface Work { void run(Connection c) throws SQLException; }

    /** Runs the work in one transaction of a connection of its own: committed, or rolled back on an error. */
    public static void inTransaction(DataSource ds, Work work) throws SQLException {
        try (Connection c = ds.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private PreparedStatement prepare(Connection c, Statement s, Map<String, ?> params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(s.sql());
        try {
            for (int i = 0; i < s.parameters().size(); i++) {
                String name = s.parameters().get(i);
                if (!params.containsKey(name)) {
                    throw new IllegalArgumentException(path + ", line " + s.line() + ": no value for the parameter :#" + name
                            + " (given: " + params.keySet() + ")");
                }
                ps.setObject(i + 1, params.get(name));
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private SQLException located(Statement s, SQLException e) {
        String where = path + (statements.size() > 1 ? ", statement " + (statements.indexOf(s) + 1) : "") + " (line " + s.line() + ")";
        return new SQLException(where + ": " + e.getMessage(), e.getSQLState(), e);
    }

    /**
     * Splits a file into statements at each ';' and turns each :#name into ?, reading past quoted
     * text, quoted names, comments and dollar-quoted bodies (a function's ';' and ':' stay whole).
     */
    static List<Statement> parse(String text) {
        List<Statement> out = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        List<String> names = new ArrayList<>();
        int line = 1;
        int firstLine = -1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char ch = text.charAt(i);
            int end = i + 1;
            boolean code = true;   // false for comments: they do not start a statement
            if (ch == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
                end = text.indexOf('\n', i);
                end = end < 0 ? n : end;
                code = false;
            } else if (ch == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                end = blockCommentEnd(text, i);
                code = false;
            } else if (ch == '\'' || ch == '"') {
                end = quoteEnd(text, i, ch);
            } else if (ch == '$' && dollarTag(text, i) != null) {
                String tag = dollarTag(text, i);
                int close = text.indexOf(tag, i + tag.length());
                end = close < 0 ? n : close + tag.length();
            } else if (ch == ':' && i + 1 < n && text.charAt(i + 1) == '#') {
                int j = i + 2;
                while (j < n && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) j++;
                if (j > i + 2) {
                    names.add(text.substring(i + 2, j));
                    if (firstLine < 0) firstLine = line;
                    sql.append('?');
                    i = j;
                    continue;
                }
            } else if (ch == ';') {
                if (firstLine > 0) out.add(new Statement(sql.toString().strip(), List.copyOf(names), firstLine));
                sql.setLength(0);
                names.clear();
                firstLine = -1;
                i++;
                continue;
            }
            String piece = text.substring(i, end);
            if (code && firstLine < 0 && !Character.isWhitespace(ch)) firstLine = line;
            if (firstLine > 0 || code) sql.append(piece);
            line += (int) piece.chars().filter(c -> c == '\n').count();
            i = end;
        }
        if (firstLine > 0) out.add(new Statement(sql.toString().strip(), List.copyOf(names), firstLine));
        return out;
    }

    private static int blockCommentEnd(String text, int start) {
        int depth = 0;
        int i = start;
        while (i < text.length() - 1) {
            if (text.startsWith("/*", i)) { depth++; i += 2; }
            else if (text.startsWith("*/", i)) { depth--; i += 2; if (depth == 0) return i; }
            else i++;
        }
        return text.length();
    }

    private static int quoteEnd(String text, int start, char quote) {
        int i = start + 1;
        while (i < text.length()) {
            if (text.charAt(i) == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) { i += 2; continue; }   // '' inside '...'
                return i + 1;
            }
            i++;
        }
        return text.length();
    }

    /** $$ or $tag$ at start, else null (a $1 or a name with $ is not a tag). */
    private static String dollarTag(String text, int start) {
        int j = start + 1;
        while (j < text.length() && (Character.isLetter(text.charAt(j)) || text.charAt(j) == '_'
                || (j > start + 1 && Character.isDigit(text.charAt(j))))) j++;
        if (j < text.length() && text.charAt(j) == '$') {
            if (start > 0 && (Character.isLetterOrDigit(text.charAt(start - 1)) || text.charAt(start - 1) == '_')) return null;
            return text.substring(start, j + 1);
        }
        return null;
    }
}
