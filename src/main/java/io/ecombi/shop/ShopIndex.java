package io.ecombi.shop;

import freemarker.core.HTMLOutputFormat;
import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import io.ecombi.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * reports/index.html: one line per shop with a published report, linking its latest page
 * (reports/&lt;shop&gt;/index.html), so the path a newcomer opens keeps working with several shops.
 * The page is the template ecombi.reports.shops-template (templates/shops.ftlh); it is rewritten
 * whole (a temporary file renamed over it) after each publish and each reset.
 */
public final class ShopIndex {
    private static final Logger LOG = LoggerFactory.getLogger(ShopIndex.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private ShopIndex() {}

    /** Rewrites reports/index.html from the shop folders; a failure is logged, never fails the caller (the shop's own page is there). */
    public static void write(Settings settings) {
        Path root = settings.path("ecombi.reports.dir");
        try {
            write(root, settings.path("ecombi.reports.shops-template"));
        } catch (IOException | TemplateException | RuntimeException e) {
            LOG.warn("could not write {}: {} (each shop's page is in {}/<shop>/index.html)", root.resolve("index.html"), e.getMessage(), root);
        }
    }

    static void write(Path root, Path template) throws IOException, TemplateException {
        Files.createDirectories(root);
        List<Map<String, String>> shops = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, Files::isDirectory)) {
            List<Path> dirs = new ArrayList<>();
            ds.forEach(dirs::add);
            dirs.sort(null);
            for (Path dir : dirs) {
                Path latest = dir.resolve("latest");
                Path page = latest.resolve("index.html");
                if (!Files.isSymbolicLink(latest) || !Files.isRegularFile(page)) continue;
                Map<String, String> s = new LinkedHashMap<>();
                s.put("name", dir.getFileName().toString());
                s.put("href", dir.getFileName() + "/index.html");
                s.put("run", Files.readSymbolicLink(latest).getFileName().toString());
                s.put("published", TIME.format(Files.getLastModifiedTime(page).toInstant()));
                shops.add(s);
            }
        }
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_35);
        cfg.setDefaultEncoding("UTF-8");
        cfg.setOutputFormat(HTMLOutputFormat.INSTANCE);
        cfg.setLocale(Locale.US);
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setDirectoryForTemplateLoading(template.toAbsolutePath().getParent().toFile());
        StringWriter out = new StringWriter();
        cfg.getTemplate(template.getFileName().toString()).process(Map.of("shops", shops), out);
        // a name of this process's own, written with the usual permissions (createTempFile's are
        // owner-only: a web server running as another user could not read the shops' index)
        Path tmp = root.resolve(".index-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".html");
        Files.writeString(tmp, out.toString(), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
        // replaces the file (or the link reports/index.html was before shops) in one step
        Files.move(tmp, root.resolve("index.html"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
