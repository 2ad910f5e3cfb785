package io.incidentsdk.jdbc.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scope look-up on the success path: skipped while no scope is open anywhere, exact on every thread while
 * some are.
 */
class RetryScopeTest {

    private final ExecutorService other = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        other.shutdownNow();
    }

    @Test
    void nestedScopesAreFoundInnermostFirstAndGoneAfterExit() {
        assertThat(RetryScope.current()).isNull();
        RetryScope outer = RetryScope.enter(category -> true);
        try {
            assertThat(RetryScope.current()).isSameAs(outer);
            RetryScope inner = RetryScope.enter(category -> true);
            try {
                assertThat(RetryScope.current()).isSameAs(inner);
            } finally {
                inner.exit();
            }
            assertThat(RetryScope.current()).isSameAs(outer);
        } finally {
            outer.exit();
        }
        assertThat(RetryScope.current()).isNull();
    }

    @Test
    void aScopeOpenOnAnotherThreadIsNotThisThreadsScope() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Future<RetryScope> elsewhere = other.submit(() -> {
            RetryScope scope = RetryScope.enter(category -> true);
            try {
                entered.countDown();
                leave.await(10, TimeUnit.SECONDS);
                return RetryScope.current();
            } finally {
                scope.exit();
            }
        });
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            assertThat(RetryScope.current()).as("this thread runs no unit of work").isNull();
            RetryScope mine = RetryScope.enter(category -> true);
            try {
                assertThat(RetryScope.current()).isSameAs(mine);
            } finally {
                mine.exit();
            }
            assertThat(RetryScope.current()).isNull();
        } finally {
            leave.countDown();
        }
        assertThat(elsewhere.get(10, TimeUnit.SECONDS)).as("the other thread's own scope").isNotNull();
    }

    @Test
    void exitingTwiceDoesNotHideTheNextScope() {
        int open = RetryScope.openScopes();
        RetryScope first = RetryScope.enter(category -> true);
        assertThat(RetryScope.openScopes()).isEqualTo(open + 1);
        first.exit();
        first.exit();
        assertThat(RetryScope.openScopes()).as("counted down once").isEqualTo(open);
        RetryScope second = RetryScope.enter(category -> true);
        try {
            // a second exit counting the open scopes down again would make this thread's scope invisible
            assertThat(RetryScope.current()).isSameAs(second);
        } finally {
            second.exit();
        }
        assertThat(RetryScope.current()).isNull();
    }
}
