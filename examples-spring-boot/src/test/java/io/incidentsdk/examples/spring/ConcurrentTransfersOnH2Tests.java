package io.incidentsdk.examples.spring;

import org.springframework.boot.test.context.SpringBootTest;

/** {@link ConcurrentTransfersTests} on the application's default database, H2 in memory. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConcurrentTransfersOnH2Tests extends ConcurrentTransfersTests {

    @Override
    boolean deadlocksExpected() {
        return false;
    }
}
