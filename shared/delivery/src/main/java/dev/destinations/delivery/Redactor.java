package dev.destinations.delivery;

import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Keeps secrets and personal values out of logs, exceptions and DLQ attributes. Known values (the API key, the
 * event's email, phone and names) are replaced wherever they occur; anything shaped like an email address is
 * replaced too, because vendor bodies echo what they were sent.
 */
public final class Redactor {
    public static final String MASK = "***";
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+\\-]+@[A-Za-z0-9.\\-]+\\.[A-Za-z]{2,}");

    private Redactor() {}

    public static String redact(String text, Collection<String> sensitive) {
        if (text == null) return null;
        String out = text;
        for (String s : sensitive) {
            if (s != null && s.length() >= 3) out = out.replace(s, MASK);
        }
        return EMAIL.matcher(out).replaceAll(MASK);
    }
}
