package dev.destinations.testkit.contract;

/**
 * One way a request broke a vendor's contract. Names what was checked, never the value itself (a value may be
 * personal): {@code detail} says "45 characters", "a string", not the string.
 *
 * @param vendor   the contract's vendor
 * @param endpoint the contract entry's name ({@code people.upsert}), or {@code (none)} when no endpoint matched
 * @param request  {@code METHOD path-under-the-base-URL}
 * @param field    where: {@code body.companies[0].company_id}, {@code query.email}, {@code path.identifyId},
 *                 {@code header.Authorization}, or {@code endpoint}
 * @param rule     the rule broken: {@code required}, {@code type string}, {@code maxLength 40}, {@code enum}, {@code readOnly},
 *                 {@code pattern}, {@code additional}, {@code endpoint}
 * @param detail   what was found instead
 * @param entry    the contract entry that says so ({@code endpoints[people.upsert].body.fields.email.maxLength})
 * @param source   the entry's source key of ../shared/spec/vendor-apis.md, or {@code unknown}
 */
public record Violation(String vendor, String endpoint, String request, String field, String rule, String detail,
                        String entry, String source) {

    /** The message the sandbox puts in its 400 body: the field and the rule. */
    public String message() {
        return field + ": " + rule + (detail.isEmpty() ? "" : " (" + detail + ")");
    }

    @Override
    public String toString() {
        return vendor + " " + request + " [" + endpoint + "] " + message() + "; contract " + entry + ", source " + source;
    }
}
