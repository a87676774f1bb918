package dev.tailboard.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.websocket.SendResult;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link RoomConnection} against fake sockets: when sends hang, when they complete at once. */
class RoomConnectionTest {

  private static final long WRITE_TIMEOUT = TimeUnit.SECONDS.toNanos(10);

  /** An executor that runs its tasks only when told, so a test sees which thread does what. */
  private static final class Later implements Executor {
    final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void runAll() {
      for (Runnable t; (t = tasks.poll()) != null; ) {
        t.run();
      }
    }
  }

  private static RoomConnection connection(FakeSocket socket, Executor sender, Executor blocking) {
    return new RoomConnection(socket.session(), 1024, 4_000_000, 50, sender, blocking);
  }

  @Test
  void aSendThatNeverCompletesGetsItsConnectionClosedAtTheDeadlineAndNobodyElseWaits() {
    Object room = new Object();
    Later blocking = new Later();
    FakeSocket stuck = new FakeSocket("stuck", false, room);
    FakeSocket fine = new FakeSocket("fine", true, room);
    RoomConnection a = connection(stuck, Runnable::run, blocking);
    RoomConnection b = connection(fine, Runnable::run, blocking);

    long start = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      a.send("a" + i);
      b.send("b" + i);
    }
    assertThat(stuck.sent).containsExactly("a0"); // one at a time; the rest wait in its queue
    assertThat(a.queued()).isEqualTo(2);
    assertThat(fine.sent).containsExactly("b0", "b1", "b2");
    assertThat(b.stalledNanos(System.nanoTime())).isZero();

    // a stuck connection is not pinged (the ping would wait behind its send); a free one is,
    // on the blocking pool, never on the caller's thread
    a.ping();
    b.ping();
    assertThat(fine.pings).isZero();
    blocking.runAll();
    assertThat(stuck.pings).isZero();
    assertThat(fine.pings).isEqualTo(1);

    assertThat(a.closeIfStalled(start + WRITE_TIMEOUT / 2, WRITE_TIMEOUT)).isFalse();
    assertThat(b.closeIfStalled(start + 2 * WRITE_TIMEOUT, WRITE_TIMEOUT)).isFalse();
    assertThat(a.closeIfStalled(System.nanoTime() + WRITE_TIMEOUT + 1, WRITE_TIMEOUT)).isTrue();
    assertThat(stuck.closes).isEmpty(); // the close may block: it waits for the blocking pool
    blocking.runAll();
    assertThat(stuck.closes)
        .singleElement()
        .satisfies(c -> assertThat(c.getCloseCode()).isEqualTo(CloseCodes.TRY_AGAIN));
    assertThat(a.queued()).isZero();

    assertThat(stuck.idleTimeouts).isEmpty(); // its 1013 may still reach it if it reads again

    // once closing, nothing more is queued; still stuck a write timeout later, it is aborted
    a.send("late");
    assertThat(a.closeIfStalled(System.nanoTime() + WRITE_TIMEOUT / 2, WRITE_TIMEOUT)).isFalse();
    assertThat(a.closeIfStalled(System.nanoTime() + 3 * WRITE_TIMEOUT, WRITE_TIMEOUT)).isTrue();
    blocking.runAll();
    assertThat(stuck.idleTimeouts).containsExactly(1L);
    assertThat(stuck.closes).hasSize(1);
    assertThat(stuck.sent).containsExactly("a0");
    assertThat(a.closeIfStalled(System.nanoTime() + 4 * WRITE_TIMEOUT, WRITE_TIMEOUT)).isFalse();

    b.send("b3");
    assertThat(fine.sent).containsExactly("b0", "b1", "b2", "b3");
    assertThat(fine.closes).isEmpty();
  }

  @Test
  void aPingDueDuringASendGoesOutWhenTheSendCompletes() {
    FakeSocket socket = new FakeSocket("m", false, new Object());
    RoomConnection conn = connection(socket, Runnable::run, Runnable::run);
    conn.send("f0");
    conn.ping();
    assertThat(socket.pings).isZero();
    socket.pending.get(0).onResult(new SendResult());
    assertThat(socket.pings).isEqualTo(1);
  }

  @Test
  void aPingStuckOnTheSocketPastTheDeadlineAbortsAtOnce() {
    FakeSocket socket = new FakeSocket("m", true, new Object());
    Later blocking = new Later();
    RoomConnection conn = connection(socket, Runnable::run, blocking);
    conn.ping();
    // queued behind busy threads is not stalled on this socket
    assertThat(conn.closeIfStalled(System.nanoTime() + 2 * WRITE_TIMEOUT, WRITE_TIMEOUT)).isFalse();
    boolean[] closed = new boolean[1];
    socket.duringPing =
        () -> closed[0] = conn.closeIfStalled(System.nanoTime() + WRITE_TIMEOUT + 1, WRITE_TIMEOUT);
    blocking.tasks.poll().run();
    assertThat(closed[0]).isTrue();
    // a thread is waiting on this socket: no second write timeout for the close frame
    assertThat(socket.idleTimeouts).containsExactly(1L);
  }

  @Test
  void framesQueuedUnderARoomLockAreSentAfterItIsReleased() {
    Object room = new Object();
    Later sender = new Later();
    FakeSocket socket = new FakeSocket("m", true, room);
    RoomConnection conn = connection(socket, sender, Runnable::run);
    synchronized (room) {
      conn.send("one");
      conn.send("two");
      assertThat(socket.sent).isEmpty();
    }
    sender.runAll();
    assertThat(socket.sent).containsExactly("one", "two");
    assertThat(socket.sentUnderLock).isFalse();
  }

  @Test
  void aLateCompletionCarriesOnWithTheQueueInOrder() {
    FakeSocket socket = new FakeSocket("m", false, new Object());
    RoomConnection conn = connection(socket, Runnable::run, Runnable::run);
    for (int i = 0; i < 5; i++) {
      conn.send("f" + i);
    }
    for (int i = 0; i < 5; i++) {
      assertThat(socket.sent).hasSize(i + 1);
      assertThat(conn.stalledNanos(System.nanoTime())).isPositive();
      socket.pending.get(i).onResult(new SendResult());
    }
    assertThat(socket.sent).containsExactly("f0", "f1", "f2", "f3", "f4");
    assertThat(conn.stalledNanos(System.nanoTime())).isZero();
  }

  @Test
  void aLongQueueThatCompletesInlineDoesNotRecurse() {
    Later sender = new Later();
    FakeSocket socket = new FakeSocket("m", true, new Object());
    RoomConnection conn = connection(socket, sender, Runnable::run);
    for (int i = 0; i < 1000; i++) {
      conn.send("f" + i);
    }
    sender.runAll();
    assertThat(socket.sent).hasSize(1000).startsWith("f0").endsWith("f999");
  }

  @Test
  void aRefusalClosesOnlyAfterItsErrorFrameWentOut() {
    FakeSocket socket = new FakeSocket("m", false, new Object());
    Later blocking = new Later();
    RoomConnection conn = connection(socket, Runnable::run, blocking);
    conn.send("{\"type\":\"error\"}");
    conn.closeAfterQueued(CloseCodes.POLICY, "no access");
    blocking.runAll();
    assertThat(socket.closes).isEmpty();
    socket.pending.get(0).onResult(new SendResult());
    blocking.runAll();
    assertThat(socket.closes)
        .singleElement()
        .satisfies(c -> assertThat(c.getCloseCode()).isEqualTo(CloseCodes.POLICY));
  }

  @Test
  void aMissingPongIsOverdueOnlyOnceAPingWentOut() {
    FakeSocket socket = new FakeSocket("m", true, new Object());
    RoomConnection conn = connection(socket, Runnable::run, Runnable::run);
    long limit = TimeUnit.SECONDS.toNanos(3);
    assertThat(conn.pongOverdue(System.nanoTime() + 2 * limit, limit)).isFalse();
    conn.ping();
    assertThat(socket.pings).isEqualTo(1);
    assertThat(conn.pongOverdue(System.nanoTime() + 2 * limit, limit)).isTrue();
    conn.pong();
    assertThat(conn.pongOverdue(System.nanoTime() + 2 * limit, limit)).isFalse();
  }
}
