package io.ecombi.report;

import freemarker.cache.ClassTemplateLoader;
import freemarker.cache.FileTemplateLoader;
import freemarker.core.HTMLOutputFormat;
import freemarker.core.ParseException;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateNotFoundException;
import io.ecombi.Settings;
import io.ecombi.run.PipelineRun;
import io.ecombi.run.Stage;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dashboard page, index.html (inline CSS; the charts linked from visualizations/, beside it in
 * the run's folder). Its layout is the FreeMarker template ecombi.report.template
 * (templates/dashboard.ftlh) and the section files it includes, read afresh at every run so that
 * an edit counts at the next run; {@link DashboardModel} gives them the run's named results. HTML
 * auto-escaping is on: every piece of data is escaped; only Markdown rendered by commonmark (raw
 * HTML in it shown as text) is written as markup.
 * <p>
 * A template that does not load or fails while rendering does not cost the run its report: the
 * page is rendered from the built-in template shipped in the jar, with a warning at the top that
 * names the file, line and column and what is wrong; the log says the same.
 */
public final class Dashboard {
    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
    static final String BUILT_IN = "dashboard.ftlh";
    private final String defaultCurrency;
    private final int tableRows;
    private final List<String> extraTables;
    private final String shop;
    private final Path template;
    private final Path labels;
    private final Configuration builtIn;

    public Dashboard(Settings settings) {
        this.defaultCurrency = settings.get("ecombi.report.currency");
        this.tableRows = settings.getInt("ecombi.report.table-rows");
        this.extraTables = List.of(settings.get("ecombi.report.extra-tables").split("\\s*,\\s*"));
        this.template = settings.path("ecombi.report.template");
        this.shop = io.ecombi.shop.Shop.of(settings).name();
        this.labels = settings.path("ecombi.report.labels");
        this.builtIn = configuration();
        builtIn.setTemplateLoader(new ClassTemplateLoader(Dashboard.class, "/templates"));
    }

    /** Puts the page in the message body, for the file endpoint that writes it. */
    public void render(Exchange exchange) throws IOException {
        PipelineRun run = exchange.getProperty(PipelineRun.PROPERTY, PipelineRun.class);
        Stage stage = run.beginStage("dashboard");
        List<String> warnings = new ArrayList<>();
        String html = html(run, warnings);
        exchange.getMessage().setBody(html);
        run.endStage(stage, -1, html.length() + " characters" + (warnings.isEmpty() ? "" : "; " + String.join("; ", warnings)));
    }

    String html(PipelineRun run) throws IOException {
        return html(run, new ArrayList<>());
    }

    /** The page from the operator's template, or from the built-in one with the reason in warnings. */
    synchronized String html(PipelineRun run, List<String> warnings) throws IOException {
        String currency = Formats.symbol(Formats.currencyCode(run, defaultCurrency));
        Labels labels = Labels.load(this.labels);
        try {
            Template t = operatorTemplate();
            return process(t, withShop(DashboardModel.of(run, currency, tableRows, extraTables, labels, warnings)));
        } catch (TemplateException | IOException e) {
            String problem = problem(e);
            LOG.warn("DASHBOARD-TEMPLATE {}; run {} uses the built-in layout", problem, run.id());
            warnings.add(problem + ". This page uses the built-in layout; fix the file and the next run uses it.");
        }
        try {
            // the built-in template is part of the build: if it fails, that is a bug and the run fails
            return process(builtIn.getTemplate(BUILT_IN), withShop(DashboardModel.of(run, currency, tableRows, extraTables, labels, warnings)));
        } catch (TemplateException e) {
            throw new IllegalStateException("the built-in dashboard template failed: " + e.getMessage(), e);
        }
    }

    /**
     * Another reader of the run laid out by its own template (the e-mail of io.ecombi.delivery): the
     * same model as the page (cards, results, charts, formats, labels), so a figure reads the same in
     * both; extra names are added to it. HTML auto-escaping is required as for the page.
     */
    public synchronized String render(PipelineRun run, Path templateFile, Map<String, Object> extra) throws IOException, TemplateException {
        Path file = templateFile.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) throw new TemplateNotFoundException(templateFile.toString(), null, "not found");
        Configuration cfg = configuration();
        cfg.setTemplateLoader(new FileTemplateLoader(file.getParent().toFile()));
        Template t = cfg.getTemplate(file.getFileName().toString());
        if (!(t.getOutputFormat() instanceof HTMLOutputFormat) || !t.getAutoEscaping()) {
            throw new Refused("template " + templateFile + " turns HTML auto-escaping off: it is refused");
        }
        Map<String, Object> model = model(run);
        model.putAll(extra);
        return process(t, model);
    }

    /** A failed run has no results: the reader's template gets the run, the shop and the extra names only. */
    public synchronized String renderFailed(PipelineRun run, Path templateFile, Map<String, Object> extra) throws IOException, TemplateException {
        Configuration cfg = configuration();
        Path file = templateFile.toAbsolutePath().normalize();
        cfg.setTemplateLoader(new FileTemplateLoader(file.getParent().toFile()));
        Map<String, Object> model = new java.util.LinkedHashMap<>();
        model.put("run", Map.of("id", String.valueOf(run.id()), "asOf", String.valueOf(run.asOf()), "trigger", run.trigger()));
        model.put("shop", shop);
        model.putAll(extra);
        return process(cfg.getTemplate(file.getFileName().toString()), model);
    }

    /** The page's model of a run (cards, results, charts as readers see them), for another reader. */
    public synchronized Map<String, Object> model(PipelineRun run) throws IOException {
        String currency = Formats.symbol(Formats.currencyCode(run, defaultCurrency));
        return withShop(DashboardModel.of(run, currency, tableRows, extraTables, Labels.load(labels), new ArrayList<>()));
    }

    /** The operator's file, parsed anew (no cache): a saved edit counts at the next run. */
    private Template operatorTemplate() throws IOException {
        Path file = template.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) throw new TemplateNotFoundException(template.toString(), null, "not found");
        Configuration cfg = configuration();
        cfg.setTemplateLoader(new FileTemplateLoader(file.getParent().toFile()));   // <#include> and <#import> from beside it
        Template t = cfg.getTemplate(file.getFileName().toString());
        if (!(t.getOutputFormat() instanceof HTMLOutputFormat) || !t.getAutoEscaping()) {
            throw new Refused("dashboard template " + template + " turns HTML auto-escaping off (output_format / auto_esc in its #ftl header):"
                    + " names from the shop's data could run as HTML; it is refused");
        }
        return t;
    }

    /** The page names its shop (the model is the run's; the shop is the runtime's). */
    private Map<String, Object> withShop(Map<String, Object> model) {
        model.put("shop", shop);
        return model;
    }

    private static String process(Template t, Map<String, Object> model) throws TemplateException, IOException {
        StringWriter out = new StringWriter(256 * 1024);
        t.process(model, out);
        return out.toString();
    }

    private static Configuration configuration() {
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_35);
        cfg.setDefaultEncoding("UTF-8");
        // a result record's fields read as values (t.title), not as methods to call
        freemarker.template.DefaultObjectWrapperBuilder wrapper = new freemarker.template.DefaultObjectWrapperBuilder(Configuration.VERSION_2_3_35);
        wrapper.setRecordZeroArgumentNonVoidMethodPolicy(freemarker.ext.beans.ZeroArgumentNonVoidMethodPolicy.PROPERTY_ONLY_UNLESS_BEAN_PROPERTY_READ_METHOD);
        cfg.setObjectWrapper(wrapper.build());
        cfg.setOutputFormat(HTMLOutputFormat.INSTANCE);   // escaping also for a template not named .ftlh
        cfg.setLocale(Locale.US);
        cfg.setNumberFormat("computer");                  // numbers arrive formatted; a raw one is not given separators
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);              // ecombi logs it once, with the file, line and column
        cfg.setWrapUncheckedExceptions(true);
        cfg.setFallbackOnNullLoopVariable(false);
        cfg.setTemplateUpdateDelayMilliseconds(0);
        return cfg;
    }

    /** A template that loads but is not used. */
    private static final class Refused extends IOException {
        Refused(String message) { super(message); }
    }

    /** "templates/dashboard.ftlh line 12, column 5: …", from what FreeMarker knows about the error. */
    private String problem(Exception e) {
        String source = null, what;
        Integer line = null, column = null;
        if (e instanceof ParseException p) {
            source = p.getTemplateName();
            line = p.getLineNumber();
            column = p.getColumnNumber();
            what = p.getEditorMessage();
        } else if (e instanceof TemplateException t) {
            source = t.getTemplateSourceName();
            line = t.getLineNumber();
            column = t.getColumnNumber();
            what = t.getMessageWithoutStackTop();
        } else if (e instanceof Refused) {
            return e.getMessage();
        } else if (e instanceof TemplateNotFoundException) {
            return "dashboard template " + template + " not found (setting ecombi.report.template)";
        } else {
            what = e.getMessage();
        }
        String file = source == null || template.getFileName().toString().equals(source) ? template.toString()
                : (template.getParent() == null ? Path.of(source) : template.getParent().resolve(source)).toString();
        StringBuilder b = new StringBuilder("dashboard template ").append(file);
        if (line != null && line > 0) b.append(" line ").append(line);
        if (column != null && column > 0) b.append(", column ").append(column);
        // FreeMarker's message goes on with tips and the template stack
        // (and its own "[in template … at line …]" and help links): the first lines say what is wrong
        String first = what == null ? e.toString() : what.strip().split("\\R----|\\R\\R")[0].replaceAll("\\s*\\R\\s*", " ")
                .replaceAll("\\s*\\[in template [^\\]]*\\]", "").replaceAll("\\s*Help \\(latest version\\):.*$", "");
        return b.append(": ").append(first).toString();
    }
}
