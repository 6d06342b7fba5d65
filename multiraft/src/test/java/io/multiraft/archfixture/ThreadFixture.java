package io.multiraft.archfixture;

/** Deliberately violates the pure-core rule: starts a thread. Test-only, never imported as production. */
public final class ThreadFixture {
    public void run(Runnable task) {
        new Thread(task, "not-allowed-in-core").start();
    }
}
