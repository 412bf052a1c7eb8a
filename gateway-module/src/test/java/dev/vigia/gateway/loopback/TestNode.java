package dev.vigia.gateway.loopback;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code node} command a test gives the engine ({@code VIGIA_NODE}): a small script that runs
 * the real Node with test-only preloads ({@code --import}) and settings the bridge reads only when
 * set. Production never sees these: the engine runs plain {@code node}, and Vigía passes Node no
 * {@code VIGIA_*} variable but the server URL.
 */
public final class TestNode {

  private static final String REAL_NODE = System.getenv().getOrDefault("VIGIA_NODE", "node");

  private TestNode() {}

  /** The repository's root: tests run in a module folder; the loopback lives beside the modules. */
  public static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("whatsapp-loopback").resolve("package.json"))) {
        return d;
      }
    }
    throw new IllegalStateException("no whatsapp-loopback/ above " + dir);
  }

  /** A preload of the loopback project ({@code whatsapp-loopback/preload/<name>}). */
  public static Path preload(String name) {
    return repoRoot().resolve("whatsapp-loopback").resolve("preload").resolve(name);
  }

  /** Writes {@code dir/node} running the real Node with {@code preloads} and {@code env}. */
  public static String command(Path dir, Map<String, String> env, Path... preloads) throws IOException {
    StringBuilder script = new StringBuilder("#!/bin/sh\n");
    for (var e : new TreeMap<>(env).entrySet()) {
      script.append("export ").append(e.getKey()).append('=').append(quote(e.getValue())).append('\n');
    }
    script.append("exec ").append(quote(REAL_NODE));
    for (Path preload : preloads) {
      script.append(" --import ").append(quote(preload.toUri().toString()));
    }
    script.append(" \"$@\"\n");
    Files.createDirectories(dir);
    Path node = dir.resolve("node");
    Files.writeString(node, script);
    Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rwx------"));
    return node.toString();
  }

  private static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
