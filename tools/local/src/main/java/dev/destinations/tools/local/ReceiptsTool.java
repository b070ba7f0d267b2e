package dev.destinations.tools.local;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code bin/local receipts}: the deletion receipts of the erasure table (README "User deletion"), one line per
 * vendor call, with the AWS CLI command that lists the same. The table is {@code --table}, else the local stack's
 * ({@code <stack>-ErasureTable}, stack {@code local} unless {@code --stack-name}); endpoint, credentials and region as
 * {@code bin/local dlq} finds them. Only hashes of user ids are stored, so nothing personal is printed.
 */
public final class ReceiptsTool {
    private ReceiptsTool() {}

    public static void main(String[] args) {
        String endpoint = null;
        String stack = "local";
        String table = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--endpoint-url" -> endpoint = args[++i];
                case "--stack-name" -> stack = args[++i];
                case "--table" -> table = args[++i];
                default -> {
                    System.err.println("usage: bin/local receipts [--table NAME | --stack-name local] [--endpoint-url URL]");
                    System.exit(2);
                }
            }
        }
        String name = table != null ? table : stack + "-ErasureTable";
        System.out.println("# aws" + (endpoint == null ? "" : " --endpoint-url " + endpoint) + " dynamodb query --table-name " + name
                + " --key-condition-expression \"pk = :p\" --expression-attribute-values '{\":p\":{\"S\":\"receipts\"}}'");
        try (DynamoDbClient dynamoDb = DlqTool.cliLike(DynamoDbClient.builder(), endpoint)) {
            int receipts = 0;
            for (Map<String, AttributeValue> item : dynamoDb.queryPaginator(b -> b.tableName(name).keyConditionExpression("pk = :p")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("receipts")))).items()) {
                receipts++;
                System.out.println(lines(item));
            }
            System.out.println(receipts + " receipt(s) in " + name);
        }
    }

    /** One receipt: its request, when, how many users, then each destination's calls. */
    public static String lines(Map<String, AttributeValue> item) {
        StringBuilder out = new StringBuilder();
        List<String> users = item.containsKey("users") ? item.get("users").ss() : List.of();
        out.append("receipt ").append(item.get("sk").s()).append("  requested ").append(text(item.get("requested_at")))
                .append("  users ").append(users.size()).append("  kept until ").append(text(item.get("expires_at")));
        item.entrySet().stream().filter(e -> e.getValue().hasL()).sorted(Map.Entry.comparingByKey()).forEach(e -> {
            for (AttributeValue call : e.getValue().l()) {
                Map<String, AttributeValue> c = call.m();
                out.append(String.format("%n  %-13s %-48s -> %3s  %s  user %s", e.getKey(), text(c.get("call")), text(c.get("status")),
                        text(c.get("at")), abbreviated(text(c.get("user")))));
            }
        });
        return out.toString();
    }

    private static String text(AttributeValue v) {
        if (v == null) return "-";
        return v.s() != null ? v.s() : v.n() != null ? v.n() : v.toString();
    }

    private static String abbreviated(String hash) {
        return hash.length() > 16 ? hash.substring(0, 16) + "..." : hash;
    }
}
