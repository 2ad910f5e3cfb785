package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.incidentsdk.jdbc.testing.DatabaseAccount;
import io.incidentsdk.jdbc.testing.ServerAccounts;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RealDatabasesSettingsTest {

    @Test
    void noUrlsMeansTheTestsStartTheServersThemselves() {
        assertThat(ServerAccounts.fromSettings(Map.<String, String>of()::get)).isEmpty();
    }

    @Test
    void bothUrlsGiveAccountsWithTheScriptsDefaultUsers() {
        Map<String, String> settings = Map.of(
                ServerAccounts.PG_URL, "jdbc:postgresql://127.0.0.1:5999/app",
                ServerAccounts.MARIADB_URL, "jdbc:mariadb://127.0.0.1:3999/app");

        ServerAccounts accounts = ServerAccounts.fromSettings(settings::get).orElseThrow();

        assertThat(accounts.postgres()).isEqualTo(new DatabaseAccount("jdbc:postgresql://127.0.0.1:5999/app", "app", "app"));
        assertThat(accounts.mariaDb()).isEqualTo(new DatabaseAccount("jdbc:mariadb://127.0.0.1:3999/app", "app", "app"));
        assertThat(accounts.mariaDbWithoutProcess())
                .isEqualTo(new DatabaseAccount("jdbc:mariadb://127.0.0.1:3999/app", "app_noproc", "app"));
    }

    @Test
    void explicitUsersAndPasswordsWin() {
        Map<String, String> settings = Map.of(
                ServerAccounts.PG_URL, "jdbc:postgresql://db/x",
                ServerAccounts.PG_USER, "pg_user",
                ServerAccounts.PG_PASSWORD, "pg_secret",
                ServerAccounts.MARIADB_URL, "jdbc:mariadb://db/x",
                ServerAccounts.MARIADB_USER, "maria_user",
                ServerAccounts.MARIADB_PASSWORD, "maria_secret",
                ServerAccounts.MARIADB_NOPROC_USER, "plain_user",
                ServerAccounts.MARIADB_NOPROC_PASSWORD, "plain_secret");

        ServerAccounts accounts = ServerAccounts.fromSettings(settings::get).orElseThrow();

        assertThat(accounts.postgres()).isEqualTo(new DatabaseAccount("jdbc:postgresql://db/x", "pg_user", "pg_secret"));
        assertThat(accounts.mariaDb()).isEqualTo(new DatabaseAccount("jdbc:mariadb://db/x", "maria_user", "maria_secret"));
        assertThat(accounts.mariaDbWithoutProcess())
                .isEqualTo(new DatabaseAccount("jdbc:mariadb://db/x", "plain_user", "plain_secret"));
    }

    @Test
    void onlyOneUrlFailsAndNamesTheMissingSetting() {
        Map<String, String> settings = Map.of(ServerAccounts.PG_URL, "jdbc:postgresql://127.0.0.1:5999/app");

        assertThatThrownBy(() -> ServerAccounts.fromSettings(settings::get))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(ServerAccounts.MARIADB_URL + " not set")
                .hasMessageContaining("scripts/test-databases.sh");
    }

    @Test
    void blankSettingsCountAsUnset() {
        Map<String, String> settings = Map.of(ServerAccounts.PG_URL, " ", ServerAccounts.MARIADB_URL, "");

        assertThat(ServerAccounts.fromSettings(settings::get)).isEmpty();
    }

    @Test
    void accountDescriptionsNeverShowThePassword() {
        DatabaseAccount account = new DatabaseAccount("jdbc:postgresql://db/x", "app", "s3cr3t");

        assertThat(account.toString()).contains("app", "jdbc:postgresql://db/x").doesNotContain("s3cr3t");
    }
}
