package dev.destinations.delivery;

/** Where a vendor call gets its API key, and how it asks for a fresh one after a 401 (D15). */
public interface Credentials {
    /** The current key; throws a CONFIGURATION failure when there is none (D8). */
    String apiKey();

    /** Re-reads the secret now (bypassing the cache); failures keep the old value. */
    void refresh();
}
