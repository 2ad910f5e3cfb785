package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void byDefaultDeadlocksAndSerializationFailuresAreRetriedAndLockTimeoutsOnlyOnRequest() {
        RetryPolicy defaults = RetryPolicy.defaults();
        assertThat(defaults.categories()).containsExactlyInAnyOrder(SqlFailureCategory.DEADLOCK,
                SqlFailureCategory.SERIALIZATION_FAILURE);
        assertThat(defaults.retries(SqlFailureCategory.LOCK_TIMEOUT)).isFalse();
        assertThat(RetryPolicy.builder().retryLockTimeouts(true).build().retries(SqlFailureCategory.LOCK_TIMEOUT)).isTrue();
        assertThat(defaults.maxAttempts()).isEqualTo(5);
        assertThat(defaults.budget()).isSameAs(RetryBudget.processDefault());
    }

    @Test
    void backoffCeilingsDoubleFromTheInitialValueUpToTheMaximum() {
        RetryPolicy policy = RetryPolicy.builder().backoff(Duration.ofMillis(10), Duration.ofMillis(100)).build();
        assertThat(policy.backoffCeilingMillis(1)).isEqualTo(10);
        assertThat(policy.backoffCeilingMillis(2)).isEqualTo(20);
        assertThat(policy.backoffCeilingMillis(3)).isEqualTo(40);
        assertThat(policy.backoffCeilingMillis(4)).isEqualTo(80);
        assertThat(policy.backoffCeilingMillis(5)).isEqualTo(100);
        assertThat(policy.backoffCeilingMillis(64)).as("no overflow").isEqualTo(100);
    }

    @Test
    void badValuesAreRejectedWithTheFieldAndTheBound() {
        RetryPolicy.Builder b = RetryPolicy.builder();
        assertThatIllegalArgumentException().isThrownBy(() -> b.maxAttempts(0)).withMessageContaining("maxAttempts");
        assertThatIllegalArgumentException().isThrownBy(() -> b.backoff(Duration.ofMillis(-1), Duration.ZERO))
                .withMessageContaining("initialBackoff");
        assertThatIllegalArgumentException().isThrownBy(() -> b.backoff(Duration.ofSeconds(1), Duration.ofMillis(1)))
                .withMessageContaining("maxBackoff");
        assertThatIllegalArgumentException().isThrownBy(() -> b.maxTotalTime(Duration.ZERO))
                .withMessageContaining("maxTotalTime");
        assertThatNullPointerException().isThrownBy(() -> b.budget(null)).withMessageContaining("budget");
        assertThatNullPointerException().isThrownBy(() -> b.classifier(null)).withMessageContaining("classifier");
        assertThatIllegalArgumentException().isThrownBy(() -> RetryBudget.builder().ratio(-1))
                .withMessageContaining("ratio");
        assertThatIllegalArgumentException().isThrownBy(() -> RetryBudget.builder().maxTokens(0))
                .withMessageContaining("maxTokens");
        assertThatIllegalArgumentException().isThrownBy(() -> RetryBudget.builder().minRetriesPerSecond(-1))
                .withMessageContaining("minRetriesPerSecond");
        assertThatIllegalArgumentException().isThrownBy(() -> JdbcWatchOptions.builder().autoCommitRetry(true, 0))
                .withMessageContaining("autoCommitMaxAttempts");
    }
}
