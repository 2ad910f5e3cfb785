package io.incidentsdk.sink;

import java.util.Objects;
import java.util.regex.Pattern;

/** The rule for names the user gives sinks: they end up in thread names and metric tags. */
final class SinkNames {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private SinkNames() {
    }

    static String require(String name) {
        Objects.requireNonNull(name, "name must not be null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1 to 64 letters, digits, '.', '_' or '-', was \""
                    + name.substring(0, Math.min(name.length(), 64)) + "\"");
        }
        return name;
    }
}
