package io.ecombi.summary;

import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The summary file stays text in a Markdown viewer that renders HTML. */
class SafeMarkdownTest {

    /** What a viewer that renders raw HTML makes of the file (commonmark's defaults: HTML passes through, URLs as written). */
    static Document viewed(String md) {
        return Jsoup.parseBodyFragment(HtmlRenderer.builder().build().render(Parser.builder().build().parse(md)));
    }

    static void assertInert(Document page) {
        assertThat(page.select("script, img, iframe, object, embed, style")).isEmpty();
        for (Element e : page.getAllElements()) {
            for (Attribute a : e.attributes()) assertThat(a.getKey()).as("attribute of <" + e.tagName() + ">").doesNotStartWith("on");
        }
        // a link has no scheme (relative) or http, https, mailto
        assertThat(page.select("a[href]")).allSatisfy(a -> assertThat(a.attr("href")).matches("(?i)(https?:|mailto:).*|[^:]*|[^:]*[/?#].*"));
    }

    @Test
    void rawHtmlIsWrittenAsText() {
        String md = "## Revenue\nRevenue doubled. <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<!-- hidden -->\n\n"
                + "<div onmouseover=\"alert(1)\">block</div>\n";
        String safe = SafeMarkdown.neutralise(md);
        assertThat(safe).doesNotContain("<").contains("&lt;script>alert(1)&lt;/script>").contains("&lt;img src=x onerror=alert(1)>");
        Document page = viewed(safe);
        assertInert(page);
        // a reader still sees what the model wrote
        assertThat(page.text()).contains("<script>alert(1)</script>").contains("<img src=x onerror=alert(1)>").contains("<!-- hidden -->");
        assertThat(page.select("h2").text()).isEqualTo("Revenue");
        // the viewer would have run it
        assertThat(viewed(md).select("script, img")).hasSize(2);
    }

    @Test
    void codeStaysAsWrittenAndAmpersandsReadAsWritten() {
        String md = "Tags such as `<b>` are code.\n\n```\n<div>x</div>\n```\n\nHome & Garden; &lt;b&gt; is written as such.\n";
        String safe = SafeMarkdown.neutralise(md);
        assertThat(safe).contains("`<b>`").contains("```\n<div>x</div>\n```").contains("Home & Garden").contains("&amp;lt;b&amp;gt;");
        Document page = viewed(safe);
        assertInert(page);
        assertThat(page.select("code").eachText()).containsExactly("<b>", "<div>x</div>");
        assertThat(page.text()).contains("Home & Garden; &lt;b&gt; is written as such.");
    }

    @Test
    void linksToScriptsAndImagesAreText() {
        String md = "[click](javascript:alert(1)) [also](JavaScript&#58;alert(1)) [site](https://example.com) [file](data/x.csv) "
                + "![pixel](https://tracker.example/p.png) <javascript:alert(1)> [ref][r]\n\n[r]: vbscript:msgbox(1)\n";
        String safe = SafeMarkdown.neutralise(md);
        Document page = viewed(safe);
        assertInert(page);
        // the entity is written as such, so it is no colon: a relative address that runs nothing
        assertThat(page.select("a").eachAttr("href")).containsExactly("JavaScript&#58;alert(1)", "https://example.com", "data/x.csv");
        assertThat(page.text()).contains("[click](javascript:alert(1))").contains("![pixel](https://tracker.example/p.png)");
        // a relative link is fine: no scheme to run
        assertThat(SafeMarkdown.safe("data/x.csv")).isTrue();
        assertThat(SafeMarkdown.safe(" javascript:alert(1)")).isFalse();
    }

    @Test
    void escapingThatMovesACodeSpanFallsBackToEscapingEverything() {
        // CommonMark reads the tag first, so the backtick in its attribute is not code and `<script>` is; escaped, the
        // first backtick would pair with the second and leave <script> outside code: then nothing is spared
        String md = "<a title=\"`\">x</a> `<script>alert(1)</script>`\n";
        String safe = SafeMarkdown.neutralise(md);
        assertThat(safe).doesNotContain("<");
        assertInert(viewed(safe));
    }
}
