package dev.vigia.dashboard.account;

import java.util.List;

/**
 * A person who logs in. An {@code admin} may act on every org; an {@code operator} only on
 * {@code orgs}. {@code passwordHash} is a {@link PasswordHasher} string, never the password.
 */
public record User(String username, String passwordHash, String role, List<String> orgs) {

  public static final String ADMIN = "admin";
  public static final String OPERATOR = "operator";

  public User {
    orgs = orgs == null ? List.of() : List.copyOf(orgs);
  }

  public boolean isAdmin() {
    return ADMIN.equals(role);
  }

  public User withoutOrg(String org) {
    return new User(username, passwordHash, role,
        orgs.stream().filter(o -> !o.equals(org)).toList());
  }
}
