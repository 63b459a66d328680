package io.ecombi.summary;

import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.SourceSpan;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The summary's Markdown made safe to open in a viewer that renders HTML (executive_summary.md): the
 * text may come from Claude, which may repeat what a hostile export row told it. Outside code spans
 * and code blocks, every "&lt;" is written "&amp;lt;" (so no tag, comment or autolink is left: a
 * viewer shows "&lt;script&gt;" as text) and every "&amp;" that would start an entity is written
 * "&amp;amp;" (so the text reads as written); a link to anything but http, https or mailto, and
 * every image (a viewer would fetch it), is written as text. Code is left as it is: a viewer
 * escapes it. What is code is decided by CommonMark (commonmark-java, with GFM tables, as the page
 * reads it), and the result is parsed again: if escaping moved what counts as code, or anything
 * renders as HTML still, every "&lt;" is escaped, code or not.
 */
final class SafeMarkdown {
    private static final Parser PARSER = Parser.builder().extensions(List.of(TablesExtension.create()))
            .includeSourceSpans(IncludeSourceSpans.BLOCKS_AND_INLINES).build();
    /** What CommonMark reads as an entity or a numeric character reference. */
    private static final Pattern ENTITY = Pattern.compile("&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});");
    private static final List<String> SAFE_SCHEMES = List.of("http", "https", "mailto");

    private SafeMarkdown() {}

    static String neutralise(String markdown) {
        String base = markdown.replace("\r\n", "\n").replace('\r', '\n');
        String s = escape(base, code(PARSER.parse(base)));
        for (int round = 0; round <= base.length(); round++) {
            Node doc = PARSER.parse(s);
            if (html(doc)) {
                // escaping changed what is code: leave no "<" anywhere, then neutralise the links again
                s = escape(base, List.of());
                continue;
            }
            List<Integer> links = unsafeLinks(doc);
            if (links.isEmpty()) return s;
            StringBuilder b = new StringBuilder(s);
            for (int i = links.size() - 1; i >= 0; i--) b.insert((int) links.get(i), '\\');
            s = b.toString();
        }
        throw new IllegalStateException("could not neutralise the summary's Markdown");   // each round removes a link: not reached
    }

    /** "<" and the "&" of an entity, escaped outside the given ranges (start, end) of code. */
    private static String escape(String s, List<int[]> code) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        Matcher entity = ENTITY.matcher(s);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c == '<' || c == '&') && !inside(code, i)) {
                if (c == '<') {
                    out.append("&lt;");
                    continue;
                }
                if (entity.region(i, s.length()).lookingAt()) {
                    out.append("&amp;");
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    private static boolean inside(List<int[]> ranges, int i) {
        for (int[] r : ranges) if (i >= r[0] && i < r[1]) return true;
        return false;
    }

    /** Where CommonMark reads code: code spans, fenced and indented code blocks. */
    private static List<int[]> code(Node doc) {
        List<int[]> out = new ArrayList<>();
        doc.accept(new AbstractVisitor() {
            @Override
            public void visit(Code code) { spans(code); }

            @Override
            public void visit(FencedCodeBlock block) { spans(block); }

            @Override
            public void visit(IndentedCodeBlock block) { spans(block); }

            private void spans(Node n) {
                for (SourceSpan s : n.getSourceSpans()) out.add(new int[]{s.getInputIndex(), s.getInputIndex() + s.getLength()});
            }
        });
        return out;
    }

    private static boolean html(Node doc) {
        boolean[] found = {false};
        doc.accept(new AbstractVisitor() {
            @Override
            public void visit(HtmlInline html) { found[0] = true; }

            @Override
            public void visit(HtmlBlock html) { found[0] = true; }
        });
        return found[0];
    }

    /** Where to put a backslash so that a link or image is text: before a link's "[", after an image's "!". */
    private static List<Integer> unsafeLinks(Node doc) {
        List<Integer> out = new ArrayList<>();
        doc.accept(new AbstractVisitor() {
            @Override
            public void visit(Link link) {
                if (!safe(link.getDestination()) && !link.getSourceSpans().isEmpty()) out.add(link.getSourceSpans().get(0).getInputIndex());
                visitChildren(link);
            }

            @Override
            public void visit(Image image) {
                if (!image.getSourceSpans().isEmpty()) out.add(image.getSourceSpans().get(0).getInputIndex() + 1);
            }
        });
        out.sort(null);
        return out;
    }

    /** A link target a reader may follow: http, https, mailto, or a relative one (no scheme). */
    static boolean safe(String destination) {
        String d = destination == null ? "" : destination.strip().toLowerCase(Locale.ROOT);
        int colon = d.indexOf(':');
        if (colon < 0) return true;
        for (char c : new char[]{'/', '?', '#'}) {
            int at = d.indexOf(c);
            if (at >= 0 && at < colon) return true;   // "data/x.csv?a=b:c": the colon is not a scheme's
        }
        return SAFE_SCHEMES.contains(d.substring(0, colon));
    }
}
