package io.ecombi.report;

import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Heading;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.DefaultUrlSanitizer;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.html.HtmlWriter;

import java.util.List;
import java.util.Set;

/**
 * Markdown as HTML for the dashboard (the executive summary, the churn model's interpretation), by
 * commonmark-java with GFM tables. The summary may come from Claude, so it is untrusted: raw HTML in it is shown as text (escapeHtml), link
 * targets other than http, https and mailto are dropped, links carry rel="nofollow noopener
 * noreferrer", and an image is written as its text and address, never fetched (the page is
 * self-contained and must not call out when opened). Headings go one level down (# is h2): the
 * page's own h1 and the section's heading are above them.
 */
public final class Markdown {
    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).postProcessor(Markdown::demoteHeadings).build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder().extensions(EXTENSIONS)
            .escapeHtml(true)
            .sanitizeUrls(true).urlSanitizer(new DefaultUrlSanitizer(List.of("http", "https", "mailto")))
            .attributeProviderFactory(context -> (node, tag, attributes) -> {
                if (node instanceof Link) attributes.put("rel", "nofollow noopener noreferrer");
            })
            .nodeRendererFactory(context -> new ImageAsText(context.getWriter()))
            .build();

    private Markdown() {}

    /** Markdown as HTML (the summary, the churn model's interpretation): the page's markdown(text) function. */
    public static String fragment(String md) {
        return RENDERER.render(PARSER.parse(md));
    }

    private static Node demoteHeadings(Node document) {
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(Heading heading) {
                heading.setLevel(Math.min(6, heading.getLevel() + 1));
                visitChildren(heading);
            }
        });
        return document;
    }

    /** ![alt](url) is written as "alt (url)", as text. */
    private record ImageAsText(HtmlWriter html) implements NodeRenderer {
        @Override
        public Set<Class<? extends Node>> getNodeTypes() {
            return Set.of(Image.class);
        }

        @Override
        public void render(Node node) {
            StringBuilder alt = new StringBuilder();
            node.accept(new AbstractVisitor() {
                @Override
                public void visit(Text text) {
                    alt.append(text.getLiteral());
                }
            });
            String url = ((Image) node).getDestination();
            html.text(alt + (url == null || url.isBlank() ? "" : " (" + url + ")"));
        }
    }
}
