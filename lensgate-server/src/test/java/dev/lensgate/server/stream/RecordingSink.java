package dev.lensgate.server.stream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a registration received, and how it ended; thread-safe. */
class RecordingSink implements EventSink {
  final List<StreamEvent> events = new CopyOnWriteArrayList<>();
  final List<StreamEnd> ends = new CopyOnWriteArrayList<>();

  @Override
  public void deliver(StreamEvent event) {
    events.add(event);
  }

  @Override
  public void ended(StreamEnd reason) {
    ends.add(reason);
  }

  /** Events grouped by record id, each record's in arrival order. */
  Map<String, List<StreamFixtures.Received>> byRecord() {
    Map<String, List<StreamFixtures.Received>> out = new LinkedHashMap<>();
    for (StreamEvent e : events) {
      out.computeIfAbsent(e.id(), k -> new ArrayList<>()).add(StreamFixtures.Received.of(e));
    }
    return out;
  }
}
