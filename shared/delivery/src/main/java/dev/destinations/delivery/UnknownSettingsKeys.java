package dev.destinations.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.gate.DataControls;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * No silent keys (D47): every settings key neither the destination ({@link Destination#settingsKeys}) nor the data
 * controls ({@link DataControls#KEYS}) read is named in a warning at cold start, with "did you mean" for a close
 * spelling; a RudderStack device-mode key is named as such (this function is cloud mode: the key does nothing).
 */
public final class UnknownSettingsKeys {
    /** RudderStack keys that only RudderStack's device-mode (client-side) SDKs read. */
    static final Set<String> DEVICE_MODE = Set.of("useNativeSDK", "useNativeSDKToSend", "connectionMode", "loadIntegration");
    /** RudderStack platform flags a destination config carries and no destination reads. */
    static final Set<String> PLATFORM = Set.of("eventDelivery", "eventDeliveryTS");

    private UnknownSettingsKeys() {}

    /** One warning per key of {@code settings} that nothing reads, in the settings' order. */
    public static List<String> warnings(JsonNode settings, Set<String> destinationKeys) {
        Set<String> known = new HashSet<>(destinationKeys);
        known.addAll(DataControls.KEYS);
        known.add("apiKey");
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = settings.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (known.contains(key)) continue;
            if (DEVICE_MODE.contains(key)) {
                out.add("settings key \"" + key + "\" is a RudderStack device-mode key: ignored here (cloud mode)");
            } else if (PLATFORM.contains(key)) {
                out.add("settings key \"" + key + "\" is a RudderStack platform flag: ignored here");
            } else {
                String close = closest(key, known);
                out.add("unknown settings key \"" + key + "\" is ignored" + (close == null ? "" : "; did you mean \"" + close + "\"?"));
            }
        }
        return out;
    }

    /** The known key nearest to {@code key}: the same ignoring case, else at most 2 edits away (the nearest first). */
    static String closest(String key, Set<String> known) {
        String best = null;
        int bestDistance = 4; // 0: same but for case; else edits + 1
        for (String k : known.stream().sorted().toList()) {
            int d = k.equalsIgnoreCase(key) ? 0 : distance(key.toLowerCase(), k.toLowerCase()) + 1;
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
