package io.ecombi.result;

/** A column of a result table: its key (the SQL's column name, which the label dictionary translates) and its kind. */
public record Column(String key, Kind kind) {
    public static Column money(String key) { return new Column(key, Kind.MONEY); }
    public static Column percent(String key) { return new Column(key, Kind.PERCENT); }
    public static Column count(String key) { return new Column(key, Kind.COUNT); }
    public static Column number(String key) { return new Column(key, Kind.NUMBER); }
    public static Column date(String key) { return new Column(key, Kind.DATE); }
    public static Column text(String key) { return new Column(key, Kind.TEXT); }
}
