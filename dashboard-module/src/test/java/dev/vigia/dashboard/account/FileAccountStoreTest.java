package dev.vigia.dashboard.account;

import static dev.vigia.dashboard.ApiClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FileAccountStoreTest {

  @TempDir
  Path dataDir;

  @Test
  void everythingSurvivesAReopenAndTheFileHoldsOnlyHashes(Vertx vertx) throws Exception {
    FileAccountStore store = new FileAccountStore(vertx, dataDir);
    await(store.open());
    await(store.createOrg(new Org("2", "CompuEasys", List.of("a@example.com"), null)));
    String hash = new PasswordHasher(PasswordHasher.MIN_ITERATIONS).hash("s3cret-password");
    await(store.createUser(new User("ana", hash, User.OPERATOR, List.of("2"))));
    ApiKeys.Generated key = ApiKeys.generate("2", "crm", Instant.parse("2026-01-01T00:00:00Z"));
    await(store.createApiKey(key.stored()));

    Path file = dataDir.resolve("accounts").resolve("accounts.json");
    String text = Files.readString(file);
    assertFalse(text.contains("s3cret-password"));
    assertFalse(text.contains(key.value()));
    assertTrue(text.contains(ApiKeys.hash(key.value())));

    FileAccountStore reopened = new FileAccountStore(vertx, dataDir);
    await(reopened.open());
    assertEquals("CompuEasys", await(reopened.findOrg("2")).orElseThrow().name());
    assertEquals(List.of("2"), await(reopened.findUser("ana")).orElseThrow().orgs());
    assertEquals("2", await(reopened.findApiKeyByHash(ApiKeys.hash(key.value()))).orElseThrow().org());
    try (var files = Files.list(file.getParent())) {
      assertEquals(List.of(file), files.toList(), "no temp files left behind");
    }
  }

  @Test
  void theAccountsFolderAndFileAreOwnerOnlyAndWiderRightsAreNarrowedAtOpen(Vertx vertx)
      throws Exception {
    FileAccountStore store = new FileAccountStore(vertx, dataDir);
    await(store.open());
    await(store.createOrg(new Org("2", "CompuEasys", List.of(), null)));
    Path folder = dataDir.resolve("accounts");
    Path file = folder.resolve("accounts.json");
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
        "password and key hashes: owner only");

    // as an older version left them
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    await(new FileAccountStore(vertx, dataDir).open());
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void tempFilesAnInterruptedWriteLeftAreSweptAtOpen(Vertx vertx) throws Exception {
    Path folder = dataDir.resolve("accounts");
    Files.createDirectories(folder);
    Path leftover = folder.resolve(".tmp-accounts.json-0b6e1f0c");
    Files.writeString(leftover, "{\"orgs\":[");
    FileAccountStore store = new FileAccountStore(vertx, dataDir);
    await(store.open());
    assertFalse(Files.exists(leftover), "swept at open");
    await(store.createOrg(new Org("2", "CompuEasys", List.of(), null)));
    try (var files = Files.list(folder)) {
      assertEquals(List.of(folder.resolve("accounts.json")), files.toList());
    }
  }

  @Test
  void anAccountsFileWrittenBeforeOrgLanguagesReadsAsSpanish(Vertx vertx) throws Exception {
    Path file = dataDir.resolve("accounts").resolve("accounts.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"orgs\":[{\"id\":\"2\",\"name\":\"CompuEasys\","
        + "\"alertEmails\":[\"a@example.com\"],\"webhookUrl\":null}],\"users\":[],\"apiKeys\":[]}");
    FileAccountStore store = new FileAccountStore(vertx, dataDir);
    await(store.open());
    Org old = await(store.findOrg("2")).orElseThrow();
    assertEquals(new Org("2", "CompuEasys", List.of("a@example.com"), null, "es"), old);
    await(store.updateOrg(new Org("2", "CompuEasys", List.of(), null, "en")));
    FileAccountStore reopened = new FileAccountStore(vertx, dataDir);
    await(reopened.open());
    assertEquals("en", await(reopened.findOrg("2")).orElseThrow().language());
  }

  @Test
  void deletingAnOrgTakesItsKeysAndMembershipsWithIt(Vertx vertx) {
    FileAccountStore store = new FileAccountStore(vertx, dataDir);
    await(store.open());
    await(store.createOrg(new Org("2", "two", List.of(), null)));
    await(store.createOrg(new Org("4", "four", List.of(), null)));
    await(store.createUser(new User("ana", "x", User.OPERATOR, List.of("2", "4"))));
    ApiKeys.Generated key = ApiKeys.generate("2", null, Instant.now());
    await(store.createApiKey(key.stored()));
    await(store.deleteOrg("2"));
    assertTrue(await(store.findOrg("2")).isEmpty());
    assertEquals(List.of("4"), await(store.findUser("ana")).orElseThrow().orgs());
    assertTrue(await(store.findApiKeyByHash(key.stored().hash())).isEmpty());
  }

  @Test
  void takenNamesAndMissingOrgsAreRefused(Vertx vertx) {
    FileAccountStore store = new FileAccountStore(vertx, dataDir);
    await(store.open());
    await(store.createOrg(new Org("2", "two", List.of(), null)));
    assertEquals(AccountStoreException.Reason.CONFLICT,
        assertInstanceOf(AccountStoreException.class, awaitFailure(store.createOrg(
            new Org("2", "again", List.of(), null)))).reason());
    assertEquals(AccountStoreException.Reason.NOT_FOUND,
        assertInstanceOf(AccountStoreException.class, awaitFailure(store.createUser(
            new User("bob", "x", User.OPERATOR, List.of("9"))))).reason());
    assertEquals(AccountStoreException.Reason.NOT_FOUND,
        assertInstanceOf(AccountStoreException.class, awaitFailure(store.deleteOrg("9"))).reason());
  }

  @Test
  void concurrentChangesAreAllKept(Vertx vertx) {
    FileAccountStore store = new FileAccountStore(vertx, dataDir);
    await(store.open());
    await(Future.all(IntStream.range(0, 20)
        .mapToObj(i -> store.createOrg(new Org("org" + i, "n" + i, List.of(), null))).toList()));
    FileAccountStore reopened = new FileAccountStore(vertx, dataDir);
    await(reopened.open());
    assertEquals(20, await(reopened.listOrgs()).size());
  }

  @Test
  void aCorruptFileStopsOpenNamingTheFile(Vertx vertx) throws Exception {
    Path file = dataDir.resolve("accounts").resolve("accounts.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"orgs\": [");
    Throwable failure = awaitFailure(new FileAccountStore(vertx, dataDir).open());
    assertTrue(failure.getMessage().contains(file.toString()), failure.getMessage());
  }

  private static Throwable awaitFailure(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void revokedKeysUpdatedAndDeletedUsersStaySoAfterAReopenAndTheLastAdminStays(Vertx vertx) {
    FileAccountStore store = new FileAccountStore(vertx, dataDir);
    await(store.open());
    await(store.createOrg(new Org("2", "CompuEasys", List.of(), null)));
    await(store.createUser(new User("root", "h1", User.ADMIN, List.of())));
    await(store.createUser(new User("ana", "h2", User.OPERATOR, List.of("2"))));
    ApiKeys.Generated kept = ApiKeys.generate("2", "crm", Instant.parse("2026-01-01T00:00:00Z"));
    ApiKeys.Generated leaked = ApiKeys.generate("2", "shop", Instant.parse("2026-01-02T00:00:00Z"));
    await(store.createApiKey(kept.stored()));
    await(store.createApiKey(leaked.stored()));

    assertEquals(leaked.stored(), await(store.deleteApiKey("2", leaked.stored().id())));
    assertInstanceOf(AccountStoreException.class,
        awaitFailure(store.deleteApiKey("2", leaked.stored().id())));
    assertInstanceOf(AccountStoreException.class,
        awaitFailure(store.updateUser("ana", u -> new User("ana", "h3", u.role(), List.of("9")))),
        "an operator's orgs must exist");
    await(store.updateUser("ana", u -> new User("ana", "h3", User.ADMIN, u.orgs())));
    await(store.deleteUser("root"));
    Throwable lastAdmin = awaitFailure(store.deleteUser("ana"));
    assertEquals(AccountStoreException.Reason.LAST_ADMIN, ((AccountStoreException) lastAdmin).reason());
    assertEquals(AccountStoreException.Reason.LAST_ADMIN, ((AccountStoreException) awaitFailure(
        store.updateUser("ana", u -> new User("ana", "h3", User.OPERATOR, List.of("2"))))).reason());

    FileAccountStore reopened = new FileAccountStore(vertx, dataDir);
    await(reopened.open());
    assertEquals(List.of(kept.stored()), await(reopened.listApiKeys("2")));
    assertTrue(await(reopened.findApiKeyByHash(ApiKeys.hash(leaked.value()))).isEmpty());
    assertTrue(await(reopened.findUser("root")).isEmpty());
    User ana = await(reopened.findUser("ana")).orElseThrow();
    assertEquals("h3", ana.passwordHash());
    assertTrue(ana.isAdmin());
  }
}
