package io.ecombi.report;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The summary's Markdown through commonmark: the structure it is written with, and nothing that runs. */
class MarkdownTest {
    @Test
    void headingsListsEmphasisAndATableRender() {
        String html = Markdown.fragment("""
                ## Revenue
                Net revenue was **$455.00**, *up* on last year.

                - one
                - two

                1. first
                2. second

                | segment | customers |
                | --- | ---: |
                | Champions | 12 |
                | Lost | 3 |

                > a note
                """);
        Document doc = Jsoup.parseBodyFragment(html);
        // one level down: the section's own heading is the h2
        assertThat(doc.select("body > h3").text()).isEqualTo("Revenue");
        assertThat(doc.select("p strong").text()).isEqualTo("$455.00");
        assertThat(doc.select("p em").text()).isEqualTo("up");
        assertThat(doc.select("ul li")).extracting(Element::text).containsExactly("one", "two");
        assertThat(doc.select("ol li")).extracting(Element::text).containsExactly("first", "second");
        assertThat(doc.select("table thead th")).extracting(Element::text).containsExactly("segment", "customers");
        assertThat(doc.select("table tbody tr")).hasSize(2);
        assertThat(doc.select("table tbody tr").get(0).select("td")).extracting(Element::text).containsExactly("Champions", "12");
        assertThat(doc.select("table tbody td").get(1).attr("align")).isEqualTo("right");
        assertThat(doc.select("blockquote").text()).isEqualTo("a note");
    }

    @Test
    void rawHtmlInTheTextStaysText() {
        String html = Markdown.fragment("""
                Revenue doubled. <script>alert(1)</script>

                <img src=x onerror=alert(1)>

                <div onclick="alert(2)">click</div>
                """);
        Document doc = Jsoup.parseBodyFragment(html);
        assertThat(doc.select("script, img, div[onclick]")).isEmpty();
        assertThat(doc.text()).contains("<script>alert(1)</script>").contains("<img src=x onerror=alert(1)>");
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void linksAreSanitisedAndImagesAreNotFetched() {
        String html = Markdown.fragment("""
                [safe](https://example.com/a) [bad](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=)

                ![tracker](https://evil.example/pixel.png)
                """);
        Document doc = Jsoup.parseBodyFragment(html);
        assertThat(doc.select("a")).extracting(a -> a.attr("href")).containsExactly("https://example.com/a", "", "");
        assertThat(doc.select("a").first().attr("rel")).isEqualTo("nofollow noopener noreferrer");
        assertThat(doc.select("img")).isEmpty();
        assertThat(doc.text()).contains("tracker (https://evil.example/pixel.png)");
    }

    @Test
    void theChurnModelsInterpretationIsAListWithItsFeatureNamesIntact() {
        String html = Markdown.fragment("- Churn goes up with customer_tenure_days (odds x1.59 per SD), days_since_last_order (odds x1.12 per SD).\n"
                + "- Cross-validated, the model ranks churners with AUC 0.706 +/- 0.024.\n");
        Document doc = Jsoup.parseBodyFragment(html);
        assertThat(doc.select("ul > li")).extracting(Element::text).containsExactly(
                "Churn goes up with customer_tenure_days (odds x1.59 per SD), days_since_last_order (odds x1.12 per SD).",
                "Cross-validated, the model ranks churners with AUC 0.706 +/- 0.024.");
        assertThat(doc.select("em, strong, div")).isEmpty();
    }
}
