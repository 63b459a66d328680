package io.ecombi.summary;

import io.ecombi.report.Html;

/** Just enough markdown for a summary on the dashboard: headings, bullet and numbered lists, paragraphs, bold. Everything escaped. */
public final class Markdown {
    private Markdown() {}

    public static String toHtml(String md) {
        StringBuilder h = new StringBuilder("<div class=\"summary\">\n");
        String list = null;
        StringBuilder para = new StringBuilder();
        for (String raw : md.split("\\R")) {
            String line = raw.strip();
            String item = line.matches("[-*] .*") ? "ul" : line.matches("\\d+[.)] .*") ? "ol" : null;
            if (line.isEmpty() || line.startsWith("#") || item != null || line.startsWith(">")) {
                flush(h, para);
            }
            if (list != null && !list.equals(item)) {
                h.append("</").append(list).append(">\n");
                list = null;
            }
            if (line.isEmpty()) continue;
            if (line.startsWith("#")) {
                int level = Math.min(4, line.indexOf(' ') > 0 ? line.indexOf(' ') : 1) + 1;
                h.append("<h").append(level).append('>').append(inline(line.replaceFirst("^#+\\s*", ""))).append("</h").append(level).append(">\n");
            } else if (item != null) {
                if (list == null) h.append('<').append(item).append(">\n");
                list = item;
                h.append("<li>").append(inline(line.replaceFirst("^([-*]|\\d+[.)])\\s+", ""))).append("</li>\n");
            } else if (line.startsWith(">")) {
                h.append("<p class=\"note\">").append(inline(line.replaceFirst("^>\\s*", ""))).append("</p>\n");
            } else {
                if (para.length() > 0) para.append(' ');
                para.append(line);
            }
        }
        flush(h, para);
        if (list != null) h.append("</").append(list).append(">\n");
        return h.append("</div>\n").toString();
    }

    private static void flush(StringBuilder h, StringBuilder para) {
        if (para.length() == 0) return;
        h.append("<p>").append(inline(para.toString())).append("</p>\n");
        para.setLength(0);
    }

    private static String inline(String s) {
        return Html.esc(s).replaceAll("\\*\\*(.+?)\\*\\*", "<b>$1</b>").replaceAll("(?<!\\*)\\*(?!\\s)(.+?)(?<!\\s)\\*(?!\\*)", "<i>$1</i>");
    }
}
