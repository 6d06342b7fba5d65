/** Ranges as data: descriptors (id, key span, replicas, generation), key order and their codecs. */
package io.multiraft.rangestore.range;
