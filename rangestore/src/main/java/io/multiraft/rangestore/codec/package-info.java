/** Byte formats of the range store: a bounds-checked encoder/decoder pair with CRC32C trailers. */
package io.multiraft.rangestore.codec;
