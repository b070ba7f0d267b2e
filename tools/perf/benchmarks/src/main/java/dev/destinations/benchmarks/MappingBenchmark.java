package dev.destinations.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.destinations.delivery.Verdict;
import dev.destinations.delivery.VendorRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Events per second on one thread (one core), per destination and event type, three ways in the same run:
 * <ul>
 *   <li>{@code mapping}: the parsed event in, the vendor requests out (the reference transformer's "mapping" rate);
 *   <li>{@code wholeEvent}: the SQS message body text in, the vendor JSON text out, through the function's real
 *       EventProcessor (parse, validate, settings, map, write) with an in-process vendor;
 *   <li>{@code jacksonFloor}: a plain Jackson ObjectMapper parsing the same body into a tree and writing it back,
 *       the least any JSON-in, JSON-out step can cost.
 * </ul>
 * The goals (mapping 10x the reference, whole event within 1.5x the floor) are read off bin/bench's table, never asserted.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MappingBenchmark {
    /** No list here: bin/bench passes every case of every function with -p caseName= ({@link BenchCases}). */
    @Param({})
    public String caseName;

    private BenchCase<?> bench;
    private final ObjectMapper plainJackson = new ObjectMapper();

    @Setup(Level.Trial)
    public void load() {
        bench = BenchCase.load(caseName, Path.of(System.getProperty("bench.dir", "../shared/bench")));
        bench.check();
    }

    @Benchmark
    public List<VendorRequest> mapping() {
        return bench.map();
    }

    @Benchmark
    public Verdict wholeEvent() {
        return bench.wholeEvent();
    }

    @Benchmark
    public String jacksonFloor() throws Exception {
        return plainJackson.writeValueAsString(plainJackson.readTree(bench.body));
    }
}
