package io.ecombi.api;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The answers of route configuration api-errors: a problem with the request becomes its status and
 * a JSON sentence naming it; anything else is a 500 with an incident number that the log line
 * carries (with the stack trace), so the caller never sees internals.
 */
public final class ApiErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);
    private final AtomicLong incidents = new AtomicLong(System.currentTimeMillis() % 100000 * 1000);

    public void problem(Exchange exchange) {
        ApiProblem p = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, ApiProblem.class);
        Json.answer(exchange, p.status(), Json.error(p.status(), p.getMessage()));
    }

    public void unexpected(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        long incident = incidents.incrementAndGet();
        LOG.error("API incident {}: {} {} failed", incident, exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                exchange.getMessage().getHeader(Exchange.HTTP_PATH), e);
        Json.answer(exchange, 500, Json.error(500, "ecombi could not answer (incident " + incident + "; the log has the details)"));
    }
}
