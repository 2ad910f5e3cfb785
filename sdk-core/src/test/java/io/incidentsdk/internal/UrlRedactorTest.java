package io.incidentsdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UrlRedactorTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("urlsWithCredentials")
    void credentialsNeverSurviveAndTheHarmlessPartsDo(String url, List<String> secrets, List<String> kept) {
        String redacted = UrlRedactor.redact(url);

        assertThat(redacted).doesNotContain(secrets);
        assertThat(redacted).contains(kept);
    }

    static Stream<Arguments> urlsWithCredentials() {
        return Stream.of(
                Arguments.of("jdbc:postgresql://u:secret@h/db?password=secret&sslmode=require",
                        List.of("secret", "u:"), List.of("jdbc:postgresql://h/db?", "sslmode=require")),
                Arguments.of("jdbc:sqlserver://h;user=sa;password=secret",
                        List.of("secret", "=sa"), List.of("jdbc:sqlserver://h;", "user=", "password=")),
                Arguments.of("jdbc:mysql://h/db?user=root&password=secret",
                        List.of("secret", "root"), List.of("jdbc:mysql://h/db?")),
                Arguments.of("jdbc:oracle:thin:scott/tiger@h:1521/x",
                        List.of("tiger", "scott"), List.of("jdbc:oracle:thin:", "@h:1521/x")),
                Arguments.of("jdbc:h2:mem:x;PASSWORD=secret",
                        List.of("secret"), List.of("jdbc:h2:mem:x;PASSWORD=")),
                Arguments.of("jdbc:oracle:thin:scott/tiger@//db.internal:1521/ORCL",
                        List.of("tiger", "scott"), List.of("jdbc:oracle:thin:", "@//db.internal:1521/ORCL")),
                Arguments.of("jdbc:oracle:thin:scott/tiger@(DESCRIPTION=(ADDRESS=(HOST=h)(PORT=1521)))",
                        List.of("tiger", "scott"), List.of("@(DESCRIPTION=(ADDRESS=(HOST=h)(PORT=1521)))")),
                Arguments.of("jdbc:oracle:thin:scott/ti@g/e:r@h:1521:ORCL",
                        List.of("tiger", "ti@", "e:r", "scott"), List.of("@h:1521:ORCL")),
                Arguments.of("jdbc:sqlserver://h:1433;databaseName=shop;password={se;Qx}}Zk};encrypt=true",
                        List.of("se;", "Qx", "Zk"), List.of("databaseName=shop", ";encrypt=true")),
                Arguments.of("jdbc:mysql://(host=h,port=3306,user=root,password=secret)/shop",
                        List.of("secret", "root"), List.of("(host=h,port=3306,", ")/shop")),
                Arguments.of("jdbc:mysql://address=(host=h)(port=3306)(password=secret)/shop?useSSL=true",
                        List.of("secret"), List.of("address=(host=h)(port=3306)(password=", ")/shop?useSSL=true")),
                Arguments.of("jdbc:mysql://root:secret@h1:3306,h2:3306/shop",
                        List.of("secret", "root"), List.of("jdbc:mysql://h1:3306,h2:3306/shop")),
                Arguments.of("jdbc:h2:tcp://sa:secret@localhost/~/test;USER=sa;PASSWORD=secret",
                        List.of("secret", "=sa"), List.of("jdbc:h2:tcp://localhost/~/test;")),
                Arguments.of("jdbc:postgresql://h/db?sslpassword=secret&apiKey=secret&accessToken=secret",
                        List.of("secret"), List.of("jdbc:postgresql://h/db?sslpassword=")),
                Arguments.of("https://user:secret@hooks.example/x?token=secret&team=db",
                        List.of("secret", "user:"), List.of("https://hooks.example/x?", "team=db")));
    }

    @Test
    void nullStaysNull() {
        assertThat(UrlRedactor.redact(null)).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("urlsWithoutCredentials")
    void aUrlWithoutCredentialsIsUnchanged(String url) {
        assertThat(UrlRedactor.redact(url)).isEqualTo(url);
    }

    static Stream<String> urlsWithoutCredentials() {
        return Stream.of(
                "jdbc:postgresql://db.internal:5432/orders?sslmode=require&ApplicationName=checkout",
                "jdbc:mariadb://db1,db2/shop?connectTimeout=1000",
                "jdbc:h2:mem:test;DB_CLOSE_DELAY=-1;MODE=PostgreSQL",
                "jdbc:h2:file:/data/db;AUTO_SERVER=TRUE",
                "jdbc:h2:./data/shop@v2;MODE=MySQL",
                "jdbc:oracle:thin:@db.internal:1521:ORCL",
                "jdbc:oracle:thin:@//db.internal:1521/ORCL",
                "jdbc:sqlserver://h;databaseName=shop;encrypt=true",
                "jdbc:postgresql://h/db?options=-c%20search_path=app",
                "jdbc:postgresql://h/db?password",
                "");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void generatedSecretsNeverSurviveInAnyUrlStyle(long seed) {
        Random random = new Random(seed);
        List<String> templates = List.of(
                "jdbc:postgresql://app:%s@db.internal:5432/shop?sslmode=require",
                "jdbc:postgresql://db.internal/shop?password=%s&sslmode=require",
                "jdbc:sqlserver://db.internal:1433;databaseName=shop;password=%s;encrypt=true",
                "jdbc:sqlserver://db.internal:1433;databaseName=shop;password={%s};encrypt=true",
                "jdbc:mysql://db.internal/shop?user=root&password=%s",
                "jdbc:mysql://(host=db.internal,port=3306,user=root,password=%s)/shop",
                "jdbc:mysql://address=(host=db.internal)(port=3306)(password=%s)/shop",
                "jdbc:oracle:thin:scott/%s@db.internal:1521/shop",
                "jdbc:oracle:thin:scott/%s@//db.internal:1521/shop",
                "jdbc:oracle:thin:scott/%s@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=db.internal)(PORT=1521))"
                        + "(CONNECT_DATA=(SERVICE_NAME=shop)))",
                "jdbc:h2:mem:shop;USER=sa;PASSWORD=%s",
                "jdbc:h2:tcp://db.internal/~/shop;PASSWORD=%s",
                "jdbc:mariadb://db.internal:3306/shop?user=app&password=%s&useSsl=true");
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!$%*+-._~:";
        for (String template : templates) {
            for (int round = 0; round < 20; round++) {
                StringBuilder secret = new StringBuilder();
                for (int i = 0; i < 12; i++) {
                    secret.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                String url = String.format(template, secret);

                String redacted = UrlRedactor.redact(url);

                assertThat(redacted).as(url).doesNotContain(secret).contains("shop");
            }
        }
    }

    static Stream<Arguments> seeds() {
        return LongStream.range(0, 5).mapToObj(i -> Arguments.of(0xC0FFEEL + i));
    }
}
