package dev.destinations.tools.local;

import dev.destinations.mapping.Json;
import dev.destinations.testkit.VendorStub;
import dev.destinations.tools.FunctionZip;
import dev.destinations.tools.Functions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code bin/local invoke FUNCTION -e EVENT [--env-vars FILE] [--sandbox]}: the {@code sam local invoke} equivalent
 * without Docker. Reads the function from template.yaml (handler, environment, timeout, memory), runs it in a child
 * JVM on its deployment classpath (the unzipped zip) under AWS's runtime interface client, against
 * {@link LambdaRuntimeApi}, and prints the function's response and logs. {@code --env-vars} is SAM's format
 * ({@code {"FunctionId": {"VAR": "value"}}}); {@code --sandbox} points the function at a local vendor sandbox with
 * a dummy key, so the event is delivered somewhere.
 */
public final class LocalInvoke {
    private static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    private LocalInvoke() {}

    public record Invocation(LambdaRuntimeApi.Completion completion, String logs) {}

    public static void main(String[] args) throws Exception {
        String function = null;
        Path event = null;
        Path envVars = null;
        boolean sandbox = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-e", "--event" -> event = Path.of(args[++i]);
                case "-n", "--env-vars" -> envVars = Path.of(args[++i]);
                case "--sandbox" -> sandbox = true;
                default -> function = args[i];
            }
        }
        if (function == null || event == null) {
            System.err.println("usage: bin/local invoke FUNCTION -e EVENT_FILE [--env-vars FILE] [--sandbox]");
            System.exit(2);
        }
        Invocation result = invoke(Path.of("."), function, Files.readString(event), envVars, sandbox);
        System.err.print(result.logs());
        System.out.println(result.completion().body());
        System.exit(result.completion().error() ? 1 : 0);
    }

    /** Runs one invocation; {@code root} is the repository (template.yaml, functions/). */
    public static Invocation invoke(Path root, String functionId, String event, Path envVars, boolean sandbox) throws Exception {
        SamTemplate template = SamTemplate.load(root.resolve("template.yaml"));
        if (!template.functionIds().contains(functionId)) throw new IllegalArgumentException("no function " + functionId + " in template.yaml");
        String handler = String.valueOf(template.functionProperty(functionId, "Handler"));
        int timeoutSeconds = Integer.parseInt(String.valueOf(template.resolve(template.functionProperty(functionId, "Timeout"), 30)));
        int memory = Integer.parseInt(String.valueOf(template.resolve(template.functionProperty(functionId, "MemorySize"), 1024)));
        Map<String, String> env = new LinkedHashMap<>(template.environment(functionId));
        if (envVars != null) env.putAll(SamTemplate.envVars(envVars, functionId));
        Path code = deploymentDirectory(root, functionId, handler);
        VendorStub vendor = null;
        Path logFile = Files.createTempFile("local-invoke-", ".log");
        try (LambdaRuntimeApi api = new LambdaRuntimeApi(functionId)) {
            if (sandbox) {
                vendor = VendorStub.start();
                VendorSandbox sandboxes = new VendorSandbox(0, 1);
                vendor.respond(sandboxes);
                env.putIfAbsent("API_KEY_SECRET_ID", "");
                String settings = env.getOrDefault("DESTINATION_SETTINGS", "{}");
                var s = (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(settings.isBlank() ? "{}" : settings);
                env.put("VENDOR_BASE_URL", sandboxes.add(Functions.named(functionId), s, vendor.baseUrl()));
                if (!s.has("apiKey")) s.put("apiKey", "local-sandbox-key");
                env.put("DESTINATION_SETTINGS", Json.write(s));
                env.put("API_KEY_SECRET_ID", "");
            }
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + Math.max(128, memory * 3 / 4) + "m", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                    "-cp", classpath(code), RIC_MAIN, handler));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
            Map<String, String> childEnv = pb.environment();
            childEnv.putAll(env);
            childEnv.put("AWS_LAMBDA_RUNTIME_API", api.address());
            childEnv.put("AWS_LAMBDA_FUNCTION_NAME", functionId);
            childEnv.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(memory));
            childEnv.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
            childEnv.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + functionId);
            childEnv.put("AWS_LAMBDA_LOG_STREAM_NAME", "local");
            childEnv.put("LAMBDA_TASK_ROOT", code.toString());
            childEnv.putIfAbsent("AWS_REGION", "us-east-1");
            childEnv.putIfAbsent("AWS_DEFAULT_REGION", childEnv.get("AWS_REGION"));
            childEnv.putIfAbsent("AWS_ACCESS_KEY_ID", "local");
            childEnv.putIfAbsent("AWS_SECRET_ACCESS_KEY", "local");
            Process child = pb.start();
            LambdaRuntimeApi.Completion completion;
            try {
                completion = api.invoke(event, timeoutSeconds * 1000L).get(timeoutSeconds + 15L, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                completion = new LambdaRuntimeApi.Completion(true, "{\"errorMessage\":\"Task timed out after " + timeoutSeconds + " seconds\"}", "Sandbox.Timedout");
            } finally {
                child.destroy();
                if (!child.waitFor(5, TimeUnit.SECONDS)) child.destroyForcibly();
            }
            return new Invocation(completion, Files.readString(logFile));
        } finally {
            if (vendor != null) vendor.close();
            Files.deleteIfExists(logFile);
        }
    }

    /** functions/<module>/target/<module>.zip unzipped next to it: the code Lambda would run. */
    static Path deploymentDirectory(Path root, String functionId, String handler) throws IOException {
        String className = handler.split("::")[0];
        try (var modules = Files.list(root.resolve("functions"))) {
            for (Path module : modules.filter(Files::isDirectory).toList()) {
                String slug = module.getFileName().toString();
                Path zip = module.resolve("target").resolve(slug + ".zip");
                if (!Files.exists(zip)) continue;
                Path dir = module.resolve("target").resolve("lambda-task-root");
                if (!Files.exists(dir) || Files.getLastModifiedTime(dir).compareTo(Files.getLastModifiedTime(zip)) < 0) {
                    FunctionZip.unzip(zip, dir);
                }
                if (Files.exists(dir.resolve(className.replace('.', '/') + ".class"))) return dir.toAbsolutePath();
            }
        }
        throw new IllegalStateException("no built zip contains " + className + " (" + functionId + "): run bin/test or mvn package first");
    }


    /** The function's own code, its lib/, and the runtime interface client (which Lambda provides, not the zip). */
    private static String classpath(Path code) {
        return String.join(File.pathSeparator, code.toString(), code.resolve("lib").resolve("*").toString(),
                jarOf("com.amazonaws.services.lambda.runtime.api.client.AWSLambda"),
                jarOf("com.amazonaws.services.lambda.runtime.serialization.PojoSerializer"));
    }

    private static String jarOf(String className) {
        try {
            return Path.of(Class.forName(className, false, LocalInvoke.class.getClassLoader())
                    .getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (ReflectiveOperationException | java.net.URISyntaxException e) {
            throw new IllegalStateException("the runtime interface client is not on the tools class path", e);
        }
    }
}
