package dev.destinations.tools.perf;

import dev.destinations.testkit.VendorStub;

/** A vendor stub in its own process (so a probe's JVM loads none of its classes): prints its URL, answers 200 {}. */
public final class StubServerMain {
    private StubServerMain() {}

    public static void main(String[] args) throws InterruptedException {
        VendorStub stub = VendorStub.start();
        System.out.println(stub.baseUrl());
        System.out.flush();
        Thread.currentThread().join();
    }
}
