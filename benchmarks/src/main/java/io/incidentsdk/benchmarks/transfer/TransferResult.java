package io.incidentsdk.benchmarks.transfer;

import java.util.Map;

/**
 * What one variant of the transfer workload did and what the database holds afterwards.
 *
 * @param variant             the variant
 * @param threads             worker threads
 * @param accounts            accounts
 * @param elapsedNanos        wall time of the run, from the start signal to the last worker's end
 * @param transfers           transfers the application saw committed
 * @param attempts            attempts of the unit of work (first attempts and retries)
 * @param deadlocks           attempts that failed with a deadlock (SQLState 40P01, or 40001 on H2)
 * @param failed              transfers whose failure reached the application
 * @param failuresBySqlState  those failures by SQLState
 * @param deadlockOccurrences occurrences of {@code DEADLOCK} incidents the SDK reported
 * @param incidents           occurrences by incident kind, severity and retry outcome
 * @param budgetRefused       retries the retry budget refused
 * @param expectedSum         the sum of the balances at the start
 * @param balanceSum          the sum of the balances at the end
 * @param ledgerRows          ledger rows at the end
 * @param mismatchedAccounts  accounts whose balance differs from start + ledger credits − ledger debits
 * @param p50Nanos            median time of a committed transfer (retries and backoff included)
 * @param p99Nanos            99th percentile of it
 * @param maxNanos            the longest
 * @since 0.1.0
 */
public record TransferResult(TransferVariant variant, int threads, int accounts, long elapsedNanos, long transfers,
                             long attempts, long deadlocks, long failed, Map<String, Long> failuresBySqlState,
                             long deadlockOccurrences, Map<String, Long> incidents, long budgetRefused,
                             long expectedSum, long balanceSum, long ledgerRows, long mismatchedAccounts,
                             long p50Nanos, long p99Nanos, long maxNanos) {

    /**
     * Committed transfers per second.
     *
     * @return the throughput
     */
    public double transfersPerSecond() {
        return elapsedNanos == 0 ? 0 : transfers * 1e9 / elapsedNanos;
    }

    /**
     * Retries per committed transfer: attempts beyond the first, over transfers.
     *
     * @return the ratio
     */
    public double retriesPerTransfer() {
        long units = transfers + failed;
        return transfers == 0 ? 0 : (attempts - units) / (double) transfers;
    }

    /**
     * Whether the database is consistent with what the application saw: the balances sum to the start, one
     * ledger row per committed transfer, every balance explained by the ledger.
     *
     * @return {@code true} when the invariant holds
     */
    public boolean invariantHolds() {
        return balanceSum == expectedSum && ledgerRows == transfers && mismatchedAccounts == 0;
    }
}
