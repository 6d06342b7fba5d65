package io.multiraft.batching;

/** The size of an item, in whatever unit the batch's byte limit uses (usually bytes). */
@FunctionalInterface
public interface Sizer<T> {

  long sizeOf(T item);
}
