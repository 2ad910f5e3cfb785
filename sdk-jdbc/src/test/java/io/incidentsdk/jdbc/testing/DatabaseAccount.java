package io.incidentsdk.jdbc.testing;

import java.util.Objects;

/**
 * Where and as whom to connect: a JDBC URL, a user and a password.
 *
 * @param url the JDBC URL
 * @param user the user name
 * @param password the password (may be empty, never null)
 * @since 0.1.0
 */
public record DatabaseAccount(String url, String user, String password) {

    /**
     * Checks that no part is null and that the URL is a JDBC URL.
     *
     * @since 0.1.0
     */
    public DatabaseAccount {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("url must start with jdbc: but was " + url);
        }
    }

    /**
     * The URL and user, never the password.
     *
     * @return a description for messages
     * @since 0.1.0
     */
    @Override
    public String toString() {
        return user + " at " + url;
    }
}
