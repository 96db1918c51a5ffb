package dev.lensgate.server.stream;

import dev.lensgate.server.sync.ChangeListener.ChangeEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A synchronous test double of {@link StreamHub}: delivers each change on the calling thread to
 * every live registration of its lens, as the registration's matcher sees it (entering = insert,
 * leaving = delete, invisible before and after = nothing).
 */
final class FakeHub implements StreamHub {
  private final List<Reg> regs = new CopyOnWriteArrayList<>();

  private final class Reg implements Registration {
    final String envId;
    final String lens;
    final RowMatcher matcher;
    final EventSink sink;

    Reg(String envId, String lens, RowMatcher matcher, EventSink sink) {
      this.envId = envId;
      this.lens = lens;
      this.matcher = matcher;
      this.sink = sink;
    }

    @Override
    public void close() {
      regs.remove(this);
    }
  }

  @Override
  public Registration register(String envId, String lens, RowMatcher matcher, EventSink sink) {
    Reg r = new Reg(envId, lens, matcher, sink);
    regs.add(r);
    return r;
  }

  @Override
  public int liveCount(String envId, String lens) {
    return (int) regs.stream().filter(r -> r.envId.equals(envId) && r.lens.equals(lens)).count();
  }

  int live() {
    return regs.size();
  }

  @Override
  public void changed(ChangeEvent e) {
    long now = System.nanoTime();
    for (Reg r : regs) {
      if (!r.envId.equals(e.envId()) || !r.lens.equals(e.lens())) {
        continue;
      }
      boolean before = e.before().map(r.matcher::matches).orElse(false);
      boolean after = e.after().map(r.matcher::matches).orElse(false);
      if (before && after) {
        r.sink.deliver(new StreamEvent(StreamEvent.Kind.UPDATE, e.id(), e.after().get(), now));
      } else if (after) {
        r.sink.deliver(new StreamEvent(StreamEvent.Kind.INSERT, e.id(), e.after().get(), now));
      } else if (before) {
        r.sink.deliver(new StreamEvent(StreamEvent.Kind.DELETE, e.id(), e.before().get(), now));
      }
    }
  }

  static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Override
  public void close() {
    regs.clear();
  }
}
