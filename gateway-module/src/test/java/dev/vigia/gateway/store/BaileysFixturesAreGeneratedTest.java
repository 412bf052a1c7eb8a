package dev.vigia.gateway.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed {@code test-fixtures/baileys/} is exactly what its generator writes with the
 * pinned Baileys: nobody edited it by hand, and the README's regenerate command still works.
 * Needs {@code node} (20+, or {@code VIGIA_NODE}) and {@code npm} with the npm registry, like the
 * Baileys engine's tests.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BaileysFixturesAreGeneratedTest {

  /** The generator's copy of the whatsapp-loopback project; its node_modules is kept between runs. */
  private static final Path GENERATOR = Path.of("target", "fixture-generator").toAbsolutePath();
  private static final String NODE = System.getenv().getOrDefault("VIGIA_NODE", "node");

  @TempDir
  Path work;

  @Test
  void theCommittedFoldersAreWhatTheGeneratorWritesByteForByte() throws Exception {
    installGenerator();
    Path out = work.resolve("baileys");
    String printed = run(List.of(NODE, "fixtures/generate.mjs", out.toString()), 120);
    assertTrue(printed.contains("auth-org/: 822 files") && printed.contains("(msg)"), printed);

    Map<String, byte[]> committed = files(BaileysFixtures.root());
    committed.remove("README.md"); // written by hand, beside the generated data
    Map<String, byte[]> generated = files(out);
    assertEquals(committed.keySet(), generated.keySet(), "the same files");
    committed.forEach((name, bytes) -> assertArrayEquals(bytes, generated.get(name),
        name + " differs from the generator's: regenerate (test-fixtures/baileys/README.md)"));
  }

  private static void installGenerator() throws Exception {
    Path project = BaileysFixtures.repository().resolve("whatsapp-loopback");
    Files.createDirectories(GENERATOR.resolve("fixtures"));
    for (String name : List.of("package.json", "package-lock.json", "fixtures/generate.mjs",
        "fixtures/seeded-crypto.mjs")) {
      Files.copy(project.resolve(name), GENERATOR.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
    Path installedLock = GENERATOR.resolve("node_modules").resolve(".vigia-installed-lock.json");
    byte[] lock = Files.readAllBytes(GENERATOR.resolve("package-lock.json"));
    if (!Files.exists(installedLock) || !Arrays.equals(lock, Files.readAllBytes(installedLock))) {
      run(List.of("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"), 240);
      Files.write(installedLock, lock);
    }
  }

  private static String run(List<String> command, long seconds) throws Exception {
    Process p = new ProcessBuilder(command).directory(GENERATOR.toFile())
        .redirectErrorStream(true).start();
    p.getOutputStream().close();
    Path log = Files.createTempFile(GENERATOR, "run-", ".log");
    Thread drain = new Thread(() -> {
      try {
        Files.copy(p.getInputStream(), log, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException ended) {
        // the process died: what it printed so far is in the log
      }
    });
    drain.start();
    boolean ended = p.waitFor(seconds, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly();
    }
    drain.join(TimeUnit.SECONDS.toMillis(10));
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.delete(log);
    assertTrue(ended, command + " did not end in " + seconds + " s: " + output);
    assertEquals(0, p.exitValue(), command + " failed: " + output);
    return output;
  }

  private static Map<String, byte[]> files(Path root) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path file : all.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(file).toString(), Files.readAllBytes(file));
      }
    }
    return files;
  }
}
