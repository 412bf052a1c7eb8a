package dev.vigia.common.account;

import java.util.List;

/** An org's name and where its alerts go; {@code language} is {@code es} or {@code en}. */
public record OrgSettings(String org, String name, List<String> alertEmails, String webhookUrl,
    String language) {}
