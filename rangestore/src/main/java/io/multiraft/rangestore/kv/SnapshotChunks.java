package io.multiraft.rangestore.kv;

import io.multiraft.rangestore.codec.MalformedException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The byte stream of a range snapshot: self-delimiting chunks, each {@code [i32 bodyBytes][body]
 * [i32 CRC32C of body]}, so that a receiver can check and store every chunk on its own, whatever
 * slices the transport cut the stream into. Bodies hold records: first the range's state
 * ({@code 'S'}, i32 length, encoded {@link RangeState}), then the span's pairs in key order
 * ({@code 'P'}, i32 length, stored key, i32 length, value), and last {@code 'E'}.
 *
 * <p>{@link Parser} reassembles chunks in one reusable direct buffer (it grows only for a chunk
 * larger than any before) and hands out key and value as views of it: nothing per pair.
 */
final class SnapshotChunks {
  static final byte STATE = 'S';
  static final byte PAIR = 'P';
  static final byte END = 'E';
  /** Framing bytes of a chunk around its body. */
  static final int OVERHEAD = 8;

  private SnapshotChunks() {}

  static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  /** What a parsed stream holds, record by record. The buffers are views valid during the call. */
  interface Records {
    void state(RangeState state);

    void pair(ByteBuffer storedKey, ByteBuffer value);

    void end();
  }

  /** Feeds the stream in any slices; complete chunks are checked and handed to {@link Records}. */
  static final class Parser {
    private final Records out;
    private final String what;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer pending = ByteBuffer.allocateDirect(64 << 10);
    private ByteBuffer keyView = pending.duplicate();
    private ByteBuffer valueView = pending.duplicate();
    private boolean sawState;
    private boolean sawEnd;

    Parser(Records out, String what) {
      this.out = out;
      this.what = what;
    }

    void feed(ByteBuffer data) {
      while (data.hasRemaining()) {
        if (!pending.hasRemaining()) {
          grow(pending.capacity() * 2);
        }
        int n = Math.min(data.remaining(), pending.remaining());
        ByteBuffer slice = data.duplicate();
        slice.limit(slice.position() + n);
        pending.put(slice);
        data.position(data.position() + n);
        drain();
      }
    }

    /** The stream ended: it must have ended with its end record and no partial chunk. */
    void finish() {
      if (pending.position() != 0 || !sawEnd) {
        throw new MalformedException(what + " is truncated");
      }
    }

    private void drain() {
      pending.flip();
      while (pending.remaining() >= 4) {
        int body = pending.getInt(pending.position());
        if (body < 0) {
          throw new MalformedException(what + " has a chunk of negative length");
        }
        if (pending.remaining() < body + OVERHEAD) {
          if (body + OVERHEAD > pending.capacity()) {
            pending.compact();
            grow(body + OVERHEAD);
            pending.flip();
          }
          break;
        }
        int start = pending.position() + 4;
        ByteBuffer b = pending.duplicate();
        b.position(start).limit(start + body);
        crc.reset();
        crc.update(b);
        if ((int) crc.getValue() != pending.getInt(start + body)) {
          throw new MalformedException(what + " has a chunk that fails its CRC32C");
        }
        records(start, start + body);
        pending.position(start + body + 4);
      }
      pending.compact();
    }

    private void records(int at, int end) {
      while (at < end) {
        if (sawEnd) {
          throw new MalformedException(what + " has records after its end");
        }
        byte kind = pending.get(at++);
        if (kind == END) {
          sawEnd = true;
          out.end();
          continue;
        }
        int n = length(at, end);
        at += 4;
        if (kind == STATE) {
          if (sawState) {
            throw new MalformedException(what + " has two state records");
          }
          byte[] s = new byte[n];
          pending.get(at, s);
          at += n;
          sawState = true;
          out.state(RangeState.decode(s));
        } else if (kind == PAIR) {
          if (!sawState) {
            throw new MalformedException(what + " has a pair before its state");
          }
          keyView.limit(at + n).position(at);
          at += n;
          int v = length(at, end);
          at += 4;
          valueView.limit(at + v).position(at);
          at += v;
          out.pair(keyView, valueView);
        } else {
          throw new MalformedException(what + " has a record of unknown kind " + kind);
        }
      }
    }

    private int length(int at, int end) {
      if (end - at < 4) {
        throw new MalformedException(what + " has a truncated record");
      }
      int n = pending.getInt(at);
      if (n < 0 || n > end - at - 4) {
        throw new MalformedException(what + " has a record longer than its chunk");
      }
      return n;
    }

    private void grow(int capacity) {
      ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(capacity, pending.capacity()));
      pending.flip();
      bigger.put(pending);
      pending = bigger;
      keyView = pending.duplicate();
      valueView = pending.duplicate();
    }
  }
}
