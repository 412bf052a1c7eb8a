package dev.vigia.common.gateway;

import dev.vigia.common.session.SessionView;
import java.util.List;

public record SessionList(List<SessionView> sessions) {}
