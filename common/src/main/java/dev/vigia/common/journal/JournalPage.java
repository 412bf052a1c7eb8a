package dev.vigia.common.journal;

import java.util.List;

public record JournalPage(List<JournalEntry> entries) {}
