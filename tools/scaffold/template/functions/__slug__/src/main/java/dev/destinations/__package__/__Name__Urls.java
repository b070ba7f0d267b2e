package dev.destinations.__package__;

/** Every __Name__ URL a flow calls, built here from the message's base URL (no trailing slash). TODO: the vendor's paths. */
record __Name__Urls(String base) {
    String users() {
        return base + "/users";
    }

    String events() {
        return base + "/events";
    }
}
