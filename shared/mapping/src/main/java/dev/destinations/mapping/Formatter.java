package dev.destinations.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The value formatters of the mapping files (spec 1.3), with the reference's JavaScript semantics.
 * A formatter returns null when the value must be dropped (JavaScript NaN or an unmatched map entry).
 */
public enum Formatter {
    /** Epoch milliseconds (D9). */
    TIMESTAMP {
        @Override
        JsonNode apply(JsonNode v) {
            Long ms = Timestamps.epochMillis(v);
            return ms == null ? null : Json.NODES.numberNode(ms);
        }
    },
    /** Epoch seconds, except that a value that already looks like an integer passes through unchanged. */
    SECOND_TIMESTAMP {
        @Override
        JsonNode apply(JsonNode v) {
            if ((v.isTextual() || v.isIntegralNumber()) && INTEGER.matcher(v.asText()).matches()) return v;
            if (v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue())) return v;
            Long ms = Timestamps.epochMillis(v);
            return ms == null ? null : Json.NODES.numberNode(Math.floorDiv(ms, 1000L));
        }
    },
    /** JavaScript {@code String(v)}. */
    TO_STRING {
        @Override
        JsonNode apply(JsonNode v) {
            return Json.NODES.textNode(JavaScript.string(v));
        }
    },
    /** JavaScript {@code Number(v)}. */
    TO_NUMBER {
        @Override
        JsonNode apply(JsonNode v) {
            return JsValues.numberNode(JsValues.toNumber(v));
        }
    },
    /** JavaScript {@code parseFloat(v)}. */
    TO_FLOAT {
        @Override
        JsonNode apply(JsonNode v) {
            return JsValues.numberNode(JsValues.parseFloat(JavaScript.string(v)));
        }
    },
    /**
     * A list of strings: each value of an array as JavaScript {@code String(v)} (nulls left out), a single value as a
     * list of one (User.com's company {@code phone_numbers}, D30).
     */
    STRING_LIST {
        @Override
        JsonNode apply(JsonNode v) {
            com.fasterxml.jackson.databind.node.ArrayNode list = Json.NODES.arrayNode();
            if (v.isArray()) {
                v.forEach(x -> {
                    if (!x.isNull()) list.add(JavaScript.string(x));
                });
            } else {
                list.add(JavaScript.string(v));
            }
            return list;
        }
    },
    /** Replace a listed value by its target; any other value is dropped. */
    MAP {
        @Override
        JsonNode apply(JsonNode v) {
            throw new UnsupportedOperationException("MAP needs its table: use FieldRule");
        }
    },
    /** Replace a listed value by its target; any other value is a validation error. */
    STRICT_MAP {
        @Override
        JsonNode apply(JsonNode v) {
            throw new UnsupportedOperationException("STRICT_MAP needs its table: use FieldRule");
        }
    };

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    abstract JsonNode apply(JsonNode value);

    /** Looks a text value up in a value map; numbers and other types never match (JavaScript strict equality). */
    static JsonNode lookUp(Map<String, JsonNode> table, JsonNode v) {
        return v.isTextual() ? table.get(v.textValue()) : null;
    }

    static Formatter byName(String name) {
        return switch (name) {
            case "timestamp" -> TIMESTAMP;
            case "secondTimestamp" -> SECOND_TIMESTAMP;
            case "toString" -> TO_STRING;
            case "toNumber" -> TO_NUMBER;
            case "toFloat" -> TO_FLOAT;
            case "stringList" -> STRING_LIST;
            case "map" -> MAP;
            case "strictMap" -> STRICT_MAP;
            default -> throw new IllegalArgumentException("unknown format: " + name);
        };
    }

    /** Small JavaScript conversions, kept here so the rules stay data. */
    static final class JsValues {
        private static final Pattern FLOAT_PREFIX = Pattern.compile("^[+-]?(Infinity|(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?)");

        private JsValues() {}

        static double toNumber(JsonNode v) {
            if (v.isNumber()) return v.doubleValue();
            if (v.isBoolean()) return v.booleanValue() ? 1 : 0;
            if (v.isNull()) return 0;
            if (v.isTextual()) {
                String s = v.textValue().strip();
                if (s.isEmpty()) return 0;
                if (s.equals("Infinity") || s.equals("+Infinity")) return Double.POSITIVE_INFINITY;
                if (s.equals("-Infinity")) return Double.NEGATIVE_INFINITY;
                try {
                    if (s.startsWith("0x") || s.startsWith("0X")) return Long.parseLong(s.substring(2), 16);
                    if (s.chars().anyMatch(c -> Character.isLetter(c) && c != 'e' && c != 'E')) return Double.NaN;
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    return Double.NaN;
                }
            }
            if (v.isArray() && v.isEmpty()) return 0;
            if (v.isArray() && v.size() == 1) return toNumber(Json.NODES.textNode(JavaScript.string(v)));
            return Double.NaN;
        }

        static double parseFloat(String text) {
            var m = FLOAT_PREFIX.matcher(text.stripLeading());
            if (!m.find()) return Double.NaN;
            String s = m.group();
            if (s.endsWith("Infinity")) return s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            return Double.parseDouble(s);
        }

        /** NaN is dropped; integral values become integer nodes so 400 is written as 400, not 400.0. */
        static JsonNode numberNode(double d) {
            if (Double.isNaN(d)) return null;
            if (Double.isInfinite(d)) return Json.NODES.nullNode(); // JSON.stringify writes Infinity as null
            if (d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) return Json.NODES.numberNode((long) d);
            return Json.NODES.numberNode(d);
        }
    }
}
