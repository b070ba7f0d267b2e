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
 *
 * <p>{@link #parse} also applies the AWS::LanguageExtensions transform as CloudFormation does ({@link #expand}): each
 * {@code Fn::ForEach} loop becomes its copies, so every reader sees {@code CustifyFunction}, {@code CustifyQueue}, ...
 * as if they were written out. This is the one place that knows the template writes them once.
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

    /**
     * {@code SamTemplate expand IN OUT}: writes IN with its Fn::ForEach loops expanded ({@link #expand}) to OUT as JSON,
     * for a CloudFormation that lacks the AWS::LanguageExtensions transform (bin/test's LocalStack deploy).
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 3 || !args[0].equals("expand")) {
            System.err.println("usage: SamTemplate expand <template.yaml> <expanded.json>");
            System.exit(2);
        }
        Map<String, Object> expanded;
        try (Reader r = Files.newBufferedReader(Path.of(args[1]))) {
            expanded = parse(r);
        }
        dev.destinations.mapping.Json.mapper().writerWithDefaultPrettyPrinter().writeValue(Path.of(args[2]).toFile(), expanded);
    }

    /** A template already read by {@link #parse}. */
    public static SamTemplate of(Map<String, Object> parsed) {
        return new SamTemplate(parsed);
    }

    public static SamTemplate load(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file)) {
            return new SamTemplate(parse(r));
        }
    }

    /** The YAML as mutable maps and lists, short tags in their long forms, {@code Fn::ForEach} loops expanded. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(Reader yaml) {
        Object loaded = new Yaml(new CfnConstructor(new LoaderOptions())).load(yaml);
        if (!(loaded instanceof Map<?, ?>)) throw new IllegalArgumentException("not a template: the document is not a mapping");
        return expand((Map<String, Object>) loaded);
    }

    static final String LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions";
    private static final String FOR_EACH = "Fn::ForEach::";

    /**
     * The template as the AWS::LanguageExtensions transform leaves it (CloudFormation's Fn::ForEach reference): every
     * {@code Fn::ForEach::<Loop>: [Identifier, [values], {fragment}]} in Conditions, Resources (also inside resource
     * properties) and Outputs becomes one copy of the fragment per value, with {@code ${Identifier}} and
     * {@code &{Identifier}} (the value without non-alphanumerics) replaced in every key and string and
     * {@code {Ref: Identifier}} replaced by the value; then an {@code Fn::FindInMap} of literal keys becomes its value and
     * an {@code Fn::Sub} without variables its text (so {@code {Ref: {Fn::Sub: "${Name}Queue"}}} reads as
     * {@code {Ref: CustifyQueue}}), and the transform leaves the Transform list. A template without loops comes back as it was.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> expand(Map<String, Object> template) {
        Object transform = template.get("Transform");
        boolean extensions = transform instanceof List<?> l ? l.contains(LANGUAGE_EXTENSIONS) : LANGUAGE_EXTENSIONS.equals(transform);
        if (!extensions) return template;
        Map<String, Object> mappings = map(template.get("Mappings"));
        for (String section : List.of("Conditions", "Resources", "Outputs")) {
            if (template.get(section) instanceof Map<?, ?> m) {
                template.put(section, simplify(expandLoops(m, Map.of(), template), mappings));
            }
        }
        for (String section : List.of("Globals", "Parameters")) {
            if (template.get(section) != null) template.put(section, simplify(template.get(section), mappings));
        }
        List<Object> rest = new ArrayList<>(transform instanceof List<?> l ? l : List.of(transform));
        rest.remove(LANGUAGE_EXTENSIONS);
        if (rest.isEmpty()) template.remove("Transform");
        else template.put("Transform", rest.size() == 1 ? rest.get(0) : rest);
        return template;
    }

    /** Copies of every loop in {@code node} (maps at any depth), with the enclosing loops' identifiers bound. */
    private static Object expandLoops(Object node, Map<String, String> bound, Map<String, Object> template) {
        if (node instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object x : l) out.add(expandLoops(x, bound, template));
            return out;
        }
        if (!(node instanceof Map<?, ?> m)) return node;
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : m.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!key.startsWith(FOR_EACH)) {
                out.put(key, expandLoops(e.getValue(), bound, template));
                continue;
            }
            if (!(e.getValue() instanceof List<?> loop) || loop.size() != 3 || !(loop.get(0) instanceof String id)) {
                throw new IllegalArgumentException(key + ": not [Identifier, Collection, Fragment]");
            }
            for (String value : collection(key, loop.get(1), template)) {
                Map<String, String> inner = new LinkedHashMap<>(bound);
                inner.put(id, value);
                Object copy = expandLoops(substitute(loop.get(2), id, value), inner, template);
                for (var c : map(copy).entrySet()) {
                    if (out.containsKey(c.getKey()) || m.containsKey(c.getKey())) {
                        throw new IllegalArgumentException(key + " makes " + c.getKey() + " twice (its key needs ${" + id + "})");
                    }
                    out.put(c.getKey(), c.getValue());
                }
            }
        }
        return out;
    }

    /** A loop's values: a list of strings, or a Ref to a CommaDelimitedList parameter (its default). */
    private static List<String> collection(String loop, Object collection, Map<String, Object> template) {
        Object values = collection;
        if (map(collection).get("Ref") instanceof String param) {
            values = map(map(template.get("Parameters")).get(param)).get("Default");
            if (values instanceof String s) values = List.of(s.split("\\s*,\\s*"));
        }
        if (!(values instanceof List<?> l)) throw new IllegalArgumentException(loop + ": the collection is not a list of strings: " + collection);
        return l.stream().map(String::valueOf).toList();
    }

    /** The fragment for one value: ${id} and &{id} replaced in keys and strings, {Ref: id} replaced by the value. */
    private static Object substitute(Object node, String id, String value) {
        if (node instanceof String s) return s.replace("${" + id + "}", value).replace("&{" + id + "}", value.replaceAll("[^A-Za-z0-9]", ""));
        if (node instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object x : l) out.add(substitute(x, id, value));
            return out;
        }
        if (node instanceof Map<?, ?> m) {
            if (m.size() == 1 && id.equals(m.get("Ref"))) return value;
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put((String) substitute(String.valueOf(k), id, value), substitute(v, id, value)));
            return out;
        }
        return node;
    }

    /** Fn::FindInMap of literal keys -> its value; Fn::Sub without variables -> its text (bottom up). */
    private static Object simplify(Object node, Map<String, Object> mappings) {
        if (node instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object x : l) out.add(simplify(x, mappings));
            return out;
        }
        if (!(node instanceof Map<?, ?> m)) return node;
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), simplify(v, mappings)));
        if (out.size() == 1 && out.get("Fn::FindInMap") instanceof List<?> args && args.size() == 3
                && args.stream().allMatch(a -> a instanceof String)) {
            Object found = map(map(mappings.get(args.get(0))).get(args.get(1))).get(args.get(2));
            if (found != null) return found;
        }
        if (out.size() == 1 && out.get("Fn::Sub") instanceof List<?> sub && sub.size() == 2 && sub.get(0) instanceof String text) {
            Map<String, Object> vars = map(sub.get(1));
            for (var v : vars.entrySet()) {
                if (v.getValue() instanceof String s) text = text.replace("${" + v.getKey() + "}", s);
            }
            boolean allLiteral = vars.values().stream().allMatch(x -> x instanceof String);
            if (allLiteral) return text.contains("${") ? new LinkedHashMap<>(Map.of("Fn::Sub", text)) : text;
        }
        if (out.size() == 1 && out.get("Fn::Sub") instanceof String text && !text.contains("${")) return text;
        return out;
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
