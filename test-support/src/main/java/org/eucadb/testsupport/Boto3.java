package org.eucadb.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A Python program using boto3 as Debian packages it ({@code python3-boto3}: botocore speaks the
 * Query protocol to CloudWatch), run against an endpoint with an access key given through the
 * environment — never argv. The program gets the endpoint as its first argument, then the
 * caller's; it reads the key as boto3 does. {@code EUCADB_PYTHON} names another interpreter;
 * {@code .ci/run} installs the package.
 */
public final class Boto3 {
    private final URI endpoint;
    private final String accessKeyId;
    private final String secret;

    public Boto3(URI endpoint, String accessKeyId, String secret) {
        this.endpoint = endpoint;
        this.accessKeyId = accessKeyId;
        this.secret = secret;
    }

    /** Runs the program held in the class-path resource {@code script}; fails unless it exits 0. */
    public String runOk(Class<?> owner, String script, String... args) throws IOException, InterruptedException {
        String program;
        try (InputStream in = owner.getResourceAsStream(script)) {
            if (in == null) {
                throw new IOException("no resource " + script + " beside " + owner.getName());
            }
            program = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> cmd = new ArrayList<>(List.of(System.getenv().getOrDefault("EUCADB_PYTHON", "/usr/bin/python3"),
                "-", endpoint.toString()));
        cmd.addAll(List.of(args));
        PgProcesses.Result r = Awscli.runWithKey(new ProcessBuilder(cmd), accessKeyId, secret, program);
        if (r.exitCode() != 0) {
            throw new AssertionError("boto3 program " + script + " exited " + r.exitCode() + ":\n" + r.output());
        }
        return r.output();
    }
}
