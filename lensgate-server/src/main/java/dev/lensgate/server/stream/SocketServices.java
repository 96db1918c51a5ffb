package dev.lensgate.server.stream;

import dev.lensgate.server.authorize.LensAccess;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/** What every socket of the endpoint shares. */
record SocketServices(LensAccess access, StreamHub hub, RecordReader records, StreamSettings settings,
    ClientFrames parser, ServerFrames frames, MatcherFactory matchers, KeyCounts keyCounts, Clock clock,
    ScheduledExecutorService timers) {}
