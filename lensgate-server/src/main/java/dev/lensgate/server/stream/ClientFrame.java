package dev.lensgate.server.stream;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/** A parsed client frame (CONTRACT §6); only {@link ClientFrames} makes these from wire text. */
public sealed interface ClientFrame permits ClientFrame.Subscribe, ClientFrame.Observe, ClientFrame.Unsubscribe {
  /** The client's subscription id: 1..128 characters. */
  String id();

  /** {@code {op:"subscribe", id, lens, where?}}: the lens's changes that pass where (and the rule). */
  record Subscribe(String id, String lens, Optional<JsonNode> where) implements ClientFrame {
    public Subscribe {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(lens, "lens");
      Objects.requireNonNull(where, "where");
    }
  }

  /** {@code {op:"observe", id, lens, recordId}}: one record's current state, then its changes. */
  record Observe(String id, String lens, String recordId) implements ClientFrame {
    public Observe {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(lens, "lens");
      Objects.requireNonNull(recordId, "recordId");
    }
  }

  /** {@code {op:"unsubscribe", id}}. */
  record Unsubscribe(String id) implements ClientFrame {
    public Unsubscribe {
      Objects.requireNonNull(id, "id");
    }
  }
}
