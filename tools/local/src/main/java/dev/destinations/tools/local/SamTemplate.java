package dev.destinations.tools.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * template.yaml, read the way the local tools need it: functions with their handler, timeout, memory and
 * environment (Globals merged), their SQS event (queue, batch size, window) and the queue's DLQ and redrive
 * count. CloudFormation short tags ({@code !Ref}, {@code !GetAtt}, ...) load as their long forms; {@link #resolve}
 * evaluates what can be evaluated without a stack (parameter defaults, conditions on them).
 */
public final class SamTemplate {
    private final Map<String, Object> root;

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

    public static SamTemplate load(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file)) {
            return new SamTemplate(parse(r));
        }
    }

    /** The YAML as mutable maps and lists, short tags in their long forms. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(Reader yaml) {
        Object loaded = new Yaml(new CfnConstructor(new LoaderOptions())).load(yaml);
        if (!(loaded instanceof Map<?, ?>)) throw new IllegalArgumentException("not a template: the document is not a mapping");
        return (Map<String, Object>) loaded;
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
            return p.containsKey("Default") ? p.get("Default") : unresolved;
        }
        if (m.get("Fn::GetAtt") instanceof List<?> att && att.size() == 2) {
            Object v = refs.get(att.get(0) + "." + att.get(1));
            return v != null ? v : unresolved;
        }
        if (m.get("Fn::If") instanceof List<?> branches && branches.size() == 3) {
            Boolean c = condition(String.valueOf(branches.get(0)));
            return c == null ? unresolved : resolve(branches.get(c ? 1 : 2), unresolved, refs);
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

    /** SnakeYAML's safe constructor plus CloudFormation's short-form tags, each as its long form. */
    private static final class CfnConstructor extends SafeConstructor {
        static final List<String> FUNCTIONS = List.of("Ref", "Condition", "GetAtt", "Sub", "If", "Equals", "Not", "And",
                "Or", "Select", "Split", "Join", "FindInMap", "Base64", "Cidr", "GetAZs", "ImportValue", "Transform",
                "ToJsonString", "Length", "ForEach");

        CfnConstructor(LoaderOptions options) {
            super(options);
            for (String fn : FUNCTIONS) {
                String key = fn.equals("Ref") || fn.equals("Condition") ? fn : "Fn::" + fn;
                yamlConstructors.put(new Tag("!" + fn), new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        Object value = switch (node) {
                            case ScalarNode s -> constructScalar(s);
                            case SequenceNode s -> constructSequence(s);
                            case MappingNode m -> constructMapping(m);
                            default -> throw new IllegalArgumentException("unexpected node for !" + fn + ": " + node);
                        };
                        if (fn.equals("GetAtt") && value instanceof String s && s.contains(".")) {
                            int dot = s.indexOf('.');
                            value = new ArrayList<>(List.of(s.substring(0, dot), s.substring(dot + 1)));
                        }
                        Map<String, Object> intrinsic = new LinkedHashMap<>();
                        intrinsic.put(key, value);
                        return intrinsic;
                    }
                });
            }
        }
    }
}
