package dev.vigia.dashboard.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Paths that could climb out of a folder are refused before routing. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PathGuardTest {

  @Test
  void rawPathsWithDotSegmentsOrEncodedSlashesAreRefused() {
    for (String bad : new String[] {"/api/sessions/../x", "/api/sessions/%2e%2e", "/a/./b",
        "/api/sessions/%2E%2e/clear", "/api/sessions/a%2Fb", "/api/x%5c..", "/a/.%2e/b"}) {
      assertTrue(PathGuard.hasTraversal(bad), bad);
    }
    for (String good : new String[] {"/", "/api/sessions/2", "/api/sessions/org-4_b/events",
        "/dashboard/whatsapp-baileys/clear/", "/api/sessions/a..b"}) {
      assertTrue(!PathGuard.hasTraversal(good), good);
    }
  }
}
