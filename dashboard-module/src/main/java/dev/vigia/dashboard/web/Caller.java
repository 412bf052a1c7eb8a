package dev.vigia.dashboard.web;

import dev.vigia.dashboard.account.AdminToken;
import dev.vigia.dashboard.account.ApiKey;
import dev.vigia.dashboard.account.User;
import java.util.List;

/**
 * Who is making a request: a logged-in person (with a role and orgs), an admin through one of
 * their tokens ({@code tokenId}: the command line), or an API key (one org). Everything a route
 * may do is decided here.
 */
public record Caller(String username, String role, List<String> orgs, String keyId, String keyOrg,
    String tokenId) {

  public Caller(String username, String role, List<String> orgs, String keyId, String keyOrg) {
    this(username, role, orgs, keyId, keyOrg, null);
  }

  public static Caller of(User user) {
    return new Caller(user.username(), user.role(), user.orgs(), null, null);
  }

  /** An admin through their token: the person, as logged in. */
  public static Caller of(User user, AdminToken token) {
    return new Caller(user.username(), user.role(), user.orgs(), null, null, token.id());
  }

  public static Caller of(ApiKey key) {
    return new Caller(null, null, List.of(key.org()), key.id(), key.org());
  }

  public boolean isKey() {
    return keyId != null;
  }

  public boolean isAdmin() {
    return !isKey() && User.ADMIN.equals(role);
  }

  /** Admins act on every org; operators on theirs; a key on its one org. */
  public boolean mayAccess(String org) {
    return isAdmin() || orgs.contains(org);
  }

  public void requireAccess(String org) {
    if (!mayAccess(org)) {
      throw ApiException.forbidden(isKey()
          ? "this API key belongs to another organization"
          : "you are not a member of organization " + org);
    }
  }

  /** How the gateway and the journal name who asked. */
  public String actor() {
    if (isKey()) {
      return "api-key:" + keyId;
    }
    return "user:" + username + (tokenId == null ? "" : " (token " + tokenId + ")");
  }
}
