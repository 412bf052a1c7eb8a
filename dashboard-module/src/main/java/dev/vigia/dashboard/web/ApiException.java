package dev.vigia.dashboard.web;

/**
 * An HTTP answer that is not a success: the status, a machine code and a message a person can act
 * on. Rendered by {@link ErrorHandler} as {@code {"error": message, "code": code}}.
 */
public class ApiException extends RuntimeException {

  private final int status;
  private final String code;

  public ApiException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public static ApiException badRequest(String code, String message) {
    return new ApiException(400, code, message);
  }

  public static ApiException invalidField(String field, String expected) {
    return new ApiException(400, "invalid_field", "field '" + field + "' " + expected);
  }

  /** A 400 {@code invalid_org}: the id fails {@code OrgId.isValid}. */
  public static ApiException invalidOrg() {
    return badRequest("invalid_org",
        "invalid organization id: use 1 to 64 letters, digits, '-' or '_'");
  }

  public static ApiException unauthenticated() {
    return new ApiException(401, "unauthenticated",
        "log in first (POST /auth/login) or send an X-Api-Key header");
  }

  public static ApiException forbidden(String message) {
    return new ApiException(403, "forbidden", message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message);
  }

  public static ApiException conflict(String message) {
    return new ApiException(409, "conflict", message);
  }
}
