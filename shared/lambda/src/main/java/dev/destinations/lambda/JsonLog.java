package dev.destinations.lambda;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.mapping.Json;
import java.io.PrintStream;
import java.time.Instant;

/**
 * One JSON object per line on stdout, which CloudWatch Logs Insights reads field by field. Key names follow
 * Powertools ({@code level}, {@code message}, {@code service}, {@code function_request_id}). Callers never pass
 * secrets or personal values: details come redacted from the processor.
 */
public final class JsonLog {
    private final PrintStream out;
    private final String service;

    public JsonLog(PrintStream out, String service) {
        this.out = out;
        this.service = service;
    }

    public ObjectNode line(String level, String message) {
        ObjectNode n = Json.object();
        n.put("level", level);
        n.put("timestamp", Instant.now().toString());
        n.put("service", service);
        n.put("message", message);
        return n;
    }

    public void write(ObjectNode line) {
        String text = Json.write(line);
        synchronized (out) {
            out.println(text);
        }
    }

    public void info(String message) {
        write(line("INFO", message));
    }

    public void error(String message) {
        write(line("ERROR", message));
    }

    public void warn(String message) {
        write(line("WARN", message));
    }
}
