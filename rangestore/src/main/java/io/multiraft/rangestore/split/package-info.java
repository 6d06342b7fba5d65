/** Automatic splits: the node-level trigger that splits ranges it leads when they grow too large or too busy. */
package io.multiraft.rangestore.split;
