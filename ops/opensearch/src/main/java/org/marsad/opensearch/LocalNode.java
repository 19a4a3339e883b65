package org.marsad.opensearch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.transport.Netty4Plugin;

/**
 * Starts one real OpenSearch node in this JVM: the server with the Netty4 HTTP/transport and
 * analysis-common plugins. Arguments are node settings as {@code key=value}
 * ({@code http.port=9200 path.home=/data/opensearch ...}); without {@code discovery.seed_hosts}
 * the node forms a single-node cluster. The node runs until the process is stopped.
 */
public final class LocalNode extends Node {

    private LocalNode(Environment environment) {
        super(environment, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class), true);
    }

    public static void main(String[] args) throws Exception {
        Settings.Builder settings = Settings.builder()
            .put("network.host", "127.0.0.1")
            .put("cluster.name", "marsad")
            .put("node.name", "marsad-0");
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got: " + arg);
            }
            settings.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        if (settings.get("path.home") == null) {
            throw new IllegalArgumentException("path.home=DIR is required");
        }
        Path home = Path.of(settings.get("path.home"));
        Files.createDirectories(home);
        if (settings.get("path.data") == null) {
            settings.put("path.data", home.resolve("data").toString());
        }
        if (settings.get("path.logs") == null) {
            settings.put("path.logs", home.resolve("logs").toString());
        }
        if (settings.get("discovery.seed_hosts") == null && settings.get("discovery.type") == null) {
            settings.put("discovery.type", "single-node");
        }
        Settings nodeSettings = settings.build();
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            nodeSettings, Collections.emptyMap(), null, () -> nodeSettings.get("node.name"));
        LocalNode node = new LocalNode(environment);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }));
        node.start();
        stopped.await();
    }
}
