/** Routing: key to range and leader, fed by the state machines and by NotLeader hints. */
package io.multiraft.rangestore.route;
