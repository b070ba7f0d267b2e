package dev.destinations.tools.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * template.yaml, read the way the local tools need it: functions with their handler, timeout, memory and
 * environment (Globals merged), their SQS event (queue, batch size, window) and the queue's DLQ and redrive
 * count. {@link #resolve} evaluates what can be evaluated without a stack (parameter defaults, conditions on them).
 *
 * <p>The template is read as the pinned SAM CLI's own language-extensions processor expands it
 * ({@code bin/expand-template}, tools/template/expand_template.py): each {@code Fn::ForEach} loop becomes its copies,
 * so every reader sees {@code CustifyFunction}, {@code CustifyQueue}, ... as if they were written out. Each file is
 * expanded once per JVM (by its path, size and modification time).
 */
public final class SamTemplate {
    private final Map<String, Object> root;
    private static final Map<String, String> EXPANDED = new ConcurrentHashMap<>();

    private SamTemplate(Map<String, Object> root) {
        this.root = root;
    }

    /**
     * One function's variables from a file in {@code sam local invoke --env-vars} format
     * ({@code {"<LogicalId>": {"NAME": "value"}}}), such as {@code events/<function>/env.json}.
     */
    public static Map<String, String> envVars(Path file, String functionId) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        dev.destinations.mapping.Json.mapper().readTree(file.toFile()).path(functionId).properties()
                .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    /** A template already read by {@link #parse}. */
    public static SamTemplate of(Map<String, Object> parsed) {
        return new SamTemplate(parsed);
    }

    public static SamTemplate load(Path file) throws IOException {
        return new SamTemplate(parse(file));
    }

    /** The template as mutable maps and lists, its {@code Fn::ForEach} loops expanded by the SAM CLI's processor. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(Path file) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        String key = absolute + " " + Files.size(absolute) + " " + Files.getLastModifiedTime(absolute).toMillis();
        String json = EXPANDED.get(key);
        if (json == null) {
            json = expandWithSamCli(absolute);
            EXPANDED.put(key, json);
        }
        Object parsed = dev.destinations.mapping.Json.mapper().readValue(json, Object.class);
        if (!(parsed instanceof Map<?, ?>)) throw new IllegalArgumentException("not a template: " + file);
        return (Map<String, Object>) parsed;
    }

    /** A template given as text (a test's own), read as {@link #parse(Path)} reads a file. */
    public static Map<String, Object> parse(Reader yaml) {
        try {
            Path file = Files.createTempFile("template", ".yaml");
            try {
                try (var out = Files.newBufferedWriter(file)) {
                    yaml.transferTo(out);
                }
                return parse(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** bin/expand-template of the repository that holds the template (else of the working directory's). */
    private static String expandWithSamCli(Path template) throws IOException {
        Path script = script(template.getParent());
        if (script == null) script = script(Path.of("").toAbsolutePath());
        if (script == null) throw new IllegalStateException("no bin/expand-template above " + template + " or the working directory");
        Process p = new ProcessBuilder(script.toString(), template.toString()).redirectError(ProcessBuilder.Redirect.PIPE).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        try {
            if (p.waitFor() != 0) {
                throw new IllegalArgumentException("bin/expand-template " + template + " failed: " + new String(err, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static Path script(Path dir) {
        for (Path d = dir; d != null; d = d.getParent()) {
            Path s = d.resolve("bin").resolve("expand-template");
            if (Files.isExecutable(s)) return s;
        }
        return null;
    }

    public Map<String, Object> raw() {
        return root;
    }

    public Map<String, Object> resources() {
        return map(root.get("Resources"));
    }

    public Map<String, Object> resource(String logicalId) {
        return map(resources().get(logicalId));
    }

    public Map<String, Object> properties(String logicalId) {
        return map(resource(logicalId).get("Properties"));
    }

    public List<String> functionIds() {
        List<String> ids = new ArrayList<>();
        resources().forEach((id, r) -> {
            if ("AWS::Serverless::Function".equals(map(r).get("Type"))) ids.add(id);
        });
        return ids;
    }

    /** A function property, or the Globals.Function default. */
    public Object functionProperty(String id, String name) {
        Object own = properties(id).get(name);
        return own != null ? own : map(map(root.get("Globals")).get("Function")).get(name);
    }

    /** The function's environment with Globals merged and intrinsics resolved (unresolvable values are ""). */
    public Map<String, String> environment(String id) {
        return environment(id, Map.of());
    }

    /** The environment as a stack would see it: {@code refs} gives the created resources (see {@link #resolve(Object, Object, Map)}). */
    public Map<String, String> environment(String id, Map<String, ?> refs) {
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, Object> global = map(map(map(map(root.get("Globals")).get("Function")).get("Environment")).get("Variables"));
        Map<String, Object> own = map(map(properties(id).get("Environment")).get("Variables"));
        global.forEach((k, v) -> env.put(k, String.valueOf(resolve(v, "", refs))));
        own.forEach((k, v) -> env.put(k, String.valueOf(resolve(v, "", refs))));
        return env;
    }

    /** The properties of the function's first SQS event, or an empty map. */
    public Map<String, Object> sqsEvent(String functionId) {
        for (Object e : map(properties(functionId).get("Events")).values()) {
            if ("SQS".equals(map(e).get("Type"))) return map(map(e).get("Properties"));
        }
        return Map.of();
    }

    /** The logical id an intrinsic ({@code Ref}, {@code Fn::GetAtt}) points at, or null. */
    public static String target(Object intrinsic) {
        Map<String, Object> m = map(intrinsic);
        if (m.get("Ref") instanceof String s) return s;
        Object att = m.get("Fn::GetAtt");
        if (att instanceof String s) return s.split("\\.")[0];
        if (att instanceof List<?> l && !l.isEmpty()) return String.valueOf(l.get(0));
        return null;
    }

    /** Evaluates parameter references, conditions on them and substitutions; anything else becomes {@code unresolved}. */
    public Object resolve(Object value, Object unresolved) {
        return resolve(value, unresolved, Map.of());
    }

    /**
     * {@link #resolve(Object, Object)} for a stack that exists: {@code refs} holds what {@code Ref} of a resource or a
     * pseudo parameter gives ({@code "CustifyDlq"} -> its URL, {@code "AWS::StackName"} -> the stack name) and what
     * {@code Fn::GetAtt} gives under {@code "Id.Attribute"} ({@code "CustifyDlq.Arn"}).
     */
    public Object resolve(Object value, Object unresolved, Map<String, ?> refs) {
        if (!(value instanceof Map<?, ?>)) return value;
        Map<String, Object> m = map(value);
        if (m.get("Ref") instanceof String ref) {
            if (refs.containsKey(ref)) return refs.get(ref);
            Map<String, Object> p = map(map(root.get("Parameters")).get(ref));
            if (!p.containsKey("Default")) return unresolved;
            if (!"CommaDelimitedList".equals(p.get("Type"))) return p.get("Default");
            List<String> items = new ArrayList<>(); // CloudFormation's list: split at commas, each item trimmed
            for (String item : String.valueOf(p.get("Default")).split(",", -1)) items.add(item.strip());
            return items;
        }
        if (m.get("Fn::GetAtt") instanceof List<?> att && att.size() == 2) {
            Object v = refs.get(att.get(0) + "." + att.get(1));
            return v != null ? v : unresolved;
        }
        if (m.get("Fn::If") instanceof List<?> branches && branches.size() == 3) {
            Boolean c = condition(String.valueOf(branches.get(0)));
            return c == null ? unresolved : resolve(branches.get(c ? 1 : 2), unresolved, refs);
        }
        if (m.get("Fn::Join") instanceof List<?> join && join.size() == 2
                && (join.get(1) instanceof List<?> ? join.get(1) : resolve(join.get(1), null, refs)) instanceof List<?> parts) {
            List<String> out = new ArrayList<>();
            for (Object part : parts) {
                Object v = resolve(part, null, refs);
                if (v == null) return unresolved;
                out.add(String.valueOf(v));
            }
            return String.join(String.valueOf(join.get(0)), out);
        }
        if (m.get("Fn::Split") instanceof List<?> split && split.size() == 2) {
            Object v = resolve(split.get(1), null, refs);
            return v == null ? unresolved : List.of(String.valueOf(v).split(java.util.regex.Pattern.quote(String.valueOf(split.get(0))), -1));
        }
        if (m.get("Fn::Select") instanceof List<?> select && select.size() == 2) {
            Object items = select.get(1) instanceof List<?> ? select.get(1) : resolve(select.get(1), null, refs);
            int index = Integer.parseInt(String.valueOf(select.get(0)));
            if (!(items instanceof List<?> l) || index >= l.size()) return unresolved;
            Object v = resolve(l.get(index), null, refs);
            return v == null ? unresolved : v;
        }
        if (m.get("Fn::Sub") instanceof List<?> sub && sub.size() == 2 && sub.get(0) instanceof String text) {
            String out = text;
            for (var v : map(sub.get(1)).entrySet()) {
                Object sv = resolve(v.getValue(), null, refs);
                if (sv == null) return unresolved;
                out = out.replace("${" + v.getKey() + "}", String.valueOf(sv));
            }
            return resolve(new LinkedHashMap<>(Map.of("Fn::Sub", out)), unresolved, refs);
        }
        if (m.get("Fn::Sub") instanceof String text) {
            String out = text;
            for (var r : refs.entrySet()) out = out.replace("${" + r.getKey() + "}", String.valueOf(r.getValue()));
            for (var p : map(root.get("Parameters")).entrySet()) {
                Object d = map(p.getValue()).get("Default");
                if (d != null) out = out.replace("${" + p.getKey() + "}", String.valueOf(d));
            }
            return out.contains("${") ? unresolved : out;
        }
        return unresolved;
    }

    /** Whether a resource's {@code Condition} (if it has one) holds with the parameter defaults. */
    public boolean created(String logicalId) {
        Object c = resource(logicalId).get("Condition");
        return c == null || Boolean.TRUE.equals(condition(String.valueOf(c)));
    }

    /** Whether a named condition of the template holds with the parameter defaults (null: it cannot tell). */
    public Boolean condition(String name) {
        Object c = map(root.get("Conditions")).get(name);
        return evaluate(c);
    }

    private Boolean evaluate(Object c) {
        Map<String, Object> m = map(c);
        if (m.get("Fn::Equals") instanceof List<?> l && l.size() == 2) {
            Object a = resolve(l.get(0), null);
            Object b = resolve(l.get(1), null);
            return a == null || b == null ? null : String.valueOf(a).equals(String.valueOf(b));
        }
        if (m.get("Fn::Not") instanceof List<?> l && l.size() == 1) {
            Boolean inner = evaluate(l.get(0));
            return inner == null ? null : !inner;
        }
        if (m.get("Condition") instanceof String other) return condition(other);
        return null;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
