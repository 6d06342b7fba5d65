/** The key-value state machine of a range: commands and their codec, apply, split trigger, snapshots. */
package io.multiraft.rangestore.kv;
