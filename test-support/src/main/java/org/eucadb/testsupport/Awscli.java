package org.eucadb.testsupport;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's awscli (v2; it speaks the Query protocol to CloudWatch) against an endpoint, with an
 * access key given through the environment — never argv — and no configuration of the machine
 * user's. {@code EUCADB_AWSCLI} names another binary; {@code .ci/run} installs the package.
 */
public final class Awscli {
    private final URI endpoint;
    private final String accessKeyId;
    private final String secret;

    public Awscli(URI endpoint, String accessKeyId, String secret) {
        this.endpoint = endpoint;
        this.accessKeyId = accessKeyId;
        this.secret = secret;
    }

    /** {@code aws --endpoint-url ENDPOINT SERVICE ARGS…}: stdout and stderr together, whatever its exit code. */
    public String run(String service, String... args) throws IOException, InterruptedException {
        return execute(service, args).output();
    }

    /** As {@link #run}, failing unless awscli exits 0. */
    public String runOk(String service, String... args) throws IOException, InterruptedException {
        PgProcesses.Result r = execute(service, args);
        if (r.exitCode() != 0) {
            throw new IOException("awscli " + service + " " + String.join(" ", args) + " exited " + r.exitCode()
                    + ":\n" + r.output());
        }
        return r.output();
    }

    private PgProcesses.Result execute(String service, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(System.getenv().getOrDefault("EUCADB_AWSCLI", "/usr/bin/aws"),
                "--endpoint-url", endpoint.toString(), service));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        return runWithKey(pb, accessKeyId, secret, null);
    }

    /**
     * Runs a botocore-based client (awscli, a boto3 script) with this access key in its
     * environment and nothing of the machine user's AWS configuration; {@code stdin} is written
     * to it if given. Its output (stdout and stderr) and exit code, within 60 s.
     */
    static PgProcesses.Result runWithKey(ProcessBuilder pb, String accessKeyId, String secret, String stdin)
            throws IOException, InterruptedException {
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", accessKeyId);
        env.put("AWS_SECRET_ACCESS_KEY", secret);
        env.put("AWS_DEFAULT_REGION", "eucalyptus");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_PAGER", "");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(pb.command().get(0) + " did not finish in 60 s: " + pb.command());
        }
        return new PgProcesses.Result(p.exitValue(), out);
    }
}
