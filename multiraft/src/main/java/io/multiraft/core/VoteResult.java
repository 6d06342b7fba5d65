package io.multiraft.core;

enum VoteResult {
  PENDING,
  LOST,
  WON
}
