package io.ecombi.report;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN.md's "HTML only in templates": no Java class writes markup or embeds an image for the
 * page; steps put results on the run and templates/ lays them out. A string literal that opens a
 * tag is markup.
 */
class HtmlOnlyInTemplatesTest {
    private static final Pattern MARKUP = Pattern.compile("\"[^\"\\n]*(<(td|tr|th|table|thead|tbody|p|h[1-6]|div|span|section|ul|ol|li|figure|figcaption|img|b|i|em|strong|code|br|a|details|summary)( |/|>(?!\\.))|data:image/)");

    @Test
    void noJavaClassBuildsHtml() throws Exception {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) continue;   // comments may name tags
                    Matcher m = MARKUP.matcher(line);
                    if (m.find()) found.add(f + ":" + (i + 1) + ": " + line);
                }
            }
        }
        assertThat(found).as("markup written in Java; move it to a template under templates/").isEmpty();
    }

    @Test
    void theCheckFindsMarkup() {
        assertThat(MARKUP.matcher("h.append(\"<td class=\\\"num\\\">\")").find()).isTrue();
        assertThat(MARKUP.matcher("String s = \"<p>hello\";").find()).isTrue();
        assertThat(MARKUP.matcher("\"data:image/png;base64,\" + x").find()).isTrue();
        assertThat(MARKUP.matcher("if (a < b) return \"less\";").find()).isFalse();
        assertThat(MARKUP.matcher("\"x < 5 p\"").find()).isFalse();
        assertThat(MARKUP.matcher("\"named <table>.csv (orders, ...)\"").find()).isFalse();   // a placeholder in a message
    }
}
