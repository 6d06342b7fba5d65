package io.multiraft.transport.wire;

import static com.google.protobuf.CodedOutputStream.computeSInt64SizeNoTag;
import static com.google.protobuf.CodedOutputStream.computeUInt32SizeNoTag;
import static com.google.protobuf.CodedOutputStream.computeUInt64SizeNoTag;

import com.google.protobuf.CodedOutputStream;
import io.multiraft.transport.proto.Heartbeats;
import java.io.IOException;
import java.util.Arrays;
import org.agrona.collections.Long2LongHashMap;

/**
 * The coalesced heartbeats (or heartbeat responses) of one frame: one entry per group, kept as
 * parallel columns and written as packed varints, a few bytes per group. Reused frame after frame
 * by one encoder; not thread-safe.
 *
 * <p>A second heartbeat of a group in the same frame replaces the first when both carry the same
 * context: the later term and commit supersede the earlier ones. Different contexts (a read-index
 * request id, QUIESCE) are kept as separate entries, so no acknowledgement is ever lost.
 */
final class HeartbeatColumns {
  private static final int GROUP_TAG = WireTags.lengthDelimited(Heartbeats.GROUP_FIELD_NUMBER);
  private static final int TERM_TAG = WireTags.lengthDelimited(Heartbeats.TERM_FIELD_NUMBER);
  private static final int COMMIT_TAG = WireTags.lengthDelimited(Heartbeats.COMMIT_FIELD_NUMBER);
  private static final int CONTEXT_TAG = WireTags.lengthDelimited(Heartbeats.CONTEXT_FIELD_NUMBER);

  private long[] group = new long[16];
  private long[] term = new long[16];
  private long[] commit = new long[16];
  private long[] context = new long[16];
  private int count;
  // encoded bytes of each column's values, and how many commits/contexts are non-zero (a column of
  // zeros is left out)
  private int groupBytes;
  private int termBytes;
  private int commitBytes;
  private int contextBytes;
  private int nonZeroCommits;
  private int nonZeroContexts;
  private final Long2LongHashMap slotOfGroup = new Long2LongHashMap(-1);

  /** Adds a heartbeat; returns false if it merged into an earlier entry of the same group. */
  boolean add(long groupId, long termValue, long commitValue, long contextValue) {
    long slot = slotOfGroup.get(groupId);
    if (slot >= 0 && context[(int) slot] == contextValue) {
      int i = (int) slot;
      setTermAndCommit(i, termValue, commitValue, true);
      return false;
    }
    if (count == group.length) {
      int n = count * 2;
      group = Arrays.copyOf(group, n);
      term = Arrays.copyOf(term, n);
      commit = Arrays.copyOf(commit, n);
      context = Arrays.copyOf(context, n);
    }
    int i = count++;
    group[i] = groupId;
    groupBytes += computeUInt64SizeNoTag(groupId);
    context[i] = contextValue;
    contextBytes += computeSInt64SizeNoTag(contextValue);
    if (contextValue != 0) {
      nonZeroContexts++;
    }
    setTermAndCommit(i, termValue, commitValue, false);
    slotOfGroup.put(groupId, i);
    return true;
  }

  private void setTermAndCommit(int i, long termValue, long commitValue, boolean replacing) {
    if (replacing) { // take the old values out of the sums first
      termBytes -= computeUInt64SizeNoTag(term[i]);
      commitBytes -= computeUInt64SizeNoTag(commit[i]);
      if (commit[i] != 0) {
        nonZeroCommits--;
      }
    }
    term[i] = termValue;
    commit[i] = commitValue;
    termBytes += computeUInt64SizeNoTag(termValue);
    commitBytes += computeUInt64SizeNoTag(commitValue);
    if (commitValue != 0) {
      nonZeroCommits++;
    }
  }

  int count() {
    return count;
  }

  boolean isEmpty() {
    return count == 0;
  }

  /** Bytes of the Heartbeats message body. */
  int bodySize() {
    if (count == 0) {
      return 0;
    }
    int size = column(groupBytes) + column(termBytes);
    if (nonZeroCommits > 0) {
      size += column(commitBytes);
    }
    if (nonZeroContexts > 0) {
      size += column(contextBytes);
    }
    return size;
  }

  /** Bytes of this section inside a Batch (tag, length, body), 0 when empty. */
  int sectionSize() {
    int body = bodySize();
    return body == 0 ? 0 : 1 + computeUInt32SizeNoTag(body) + body;
  }

  private static int column(int valueBytes) {
    return 1 + computeUInt32SizeNoTag(valueBytes) + valueBytes;
  }

  void writeSection(CodedOutputStream out, int batchField) throws IOException {
    if (count == 0) {
      return;
    }
    out.writeUInt32NoTag(WireTags.lengthDelimited(batchField));
    out.writeUInt32NoTag(bodySize());
    writeUnsigned(out, GROUP_TAG, group, groupBytes);
    writeUnsigned(out, TERM_TAG, term, termBytes);
    if (nonZeroCommits > 0) {
      writeUnsigned(out, COMMIT_TAG, commit, commitBytes);
    }
    if (nonZeroContexts > 0) {
      out.writeUInt32NoTag(CONTEXT_TAG);
      out.writeUInt32NoTag(contextBytes);
      for (int i = 0; i < count; i++) {
        out.writeSInt64NoTag(context[i]);
      }
    }
  }

  private void writeUnsigned(CodedOutputStream out, int tag, long[] values, int bytes) throws IOException {
    out.writeUInt32NoTag(tag);
    out.writeUInt32NoTag(bytes);
    for (int i = 0; i < count; i++) {
      out.writeUInt64NoTag(values[i]);
    }
  }

  void reset() {
    if (count > 0) {
      slotOfGroup.clear();
    }
    count = 0;
    groupBytes = 0;
    termBytes = 0;
    commitBytes = 0;
    contextBytes = 0;
    nonZeroCommits = 0;
    nonZeroContexts = 0;
  }
}
