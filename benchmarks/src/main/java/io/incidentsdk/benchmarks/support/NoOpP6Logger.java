package io.incidentsdk.benchmarks.support;

import com.p6spy.engine.logging.Category;
import com.p6spy.engine.spy.appender.P6Logger;

/**
 * A P6Spy appender that logs nothing and reports every category disabled: P6Spy's cost with logging off.
 * P6Spy instantiates it by name (option {@code appender}).
 *
 * @since 0.1.0
 */
public final class NoOpP6Logger implements P6Logger {

    /** Creates the appender (P6Spy calls this). */
    public NoOpP6Logger() {
    }

    @Override
    public void logSQL(int connectionId, String now, long elapsed, Category category, String prepared, String sql,
                       String url) {
    }

    @Override
    public void logException(Exception e) {
    }

    @Override
    public void logText(String text) {
    }

    @Override
    public boolean isCategoryEnabled(Category category) {
        return false;
    }
}
