package io.incidentsdk.examples.spring;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * {@link ConcurrentTransfersTests} on the application's default database, H2 in memory: a small load (8 x 25
 * transfers per endpoint; {@code -Dbank.h2.transfers-per-thread=200} for more).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "incident.update-interval=100ms")
class ConcurrentTransfersOnH2Tests extends ConcurrentTransfersTests {

    @Override
    boolean deadlocksExpected() {
        return false;
    }

    @Override
    int transfersPerThread(String path) {
        return Integer.getInteger("bank.h2.transfers-per-thread", 25);
    }
}
