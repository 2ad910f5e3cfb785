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
    @MethodSource("webhookUrls")
    void theOriginKeepsOnlySchemeHostAndPort(String url, String origin) {
        assertThat(UrlRedactor.origin(url)).isEqualTo(origin);
    }

    static Stream<Arguments> webhookUrls() {
        return Stream.of(
                Arguments.of("https://hooks.slack.com/services/T000/B000/XXXXsecret", "https://hooks.slack.com/\u2026"),
                Arguments.of("https://hooks.example.com:8443?token=secret#x", "https://hooks.example.com:8443"),
                Arguments.of("https://user:pa/ss@hooks.example.com/x", "https://hooks.example.com/\u2026"),
                Arguments.of("ftp://chat.example.com/secret-path", "ftp://chat.example.com/\u2026"),
                Arguments.of("https://events.example.com", "https://events.example.com"),
                Arguments.of("hooks.example.com/services/secret token", "***"),
                Arguments.of("https:/hooks.example.com/secret", "https:***"),
                Arguments.of("", "***"));
    }

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
                        List.of("secret", "u:"), List.of("jdbc:postgresql://h/db?sslmode=require")),
                Arguments.of("jdbc:sqlserver://h;user=sa;password=secret",
                        List.of("secret", "=sa", "user", "password"), List.of("jdbc:sqlserver://h")),
                Arguments.of("jdbc:mysql://h/db?user=root&password=secret",
                        List.of("secret", "root"), List.of("jdbc:mysql://h/db")),
                Arguments.of("jdbc:oracle:thin:scott/tiger@h:1521/x",
                        List.of("tiger", "scott"), List.of("jdbc:oracle:thin:@h:1521/x")),
                Arguments.of("jdbc:h2:mem:x;PASSWORD=secret",
                        List.of("secret", "PASSWORD"), List.of("jdbc:h2:mem:x")),
                Arguments.of("jdbc:oracle:thin:scott/tiger@//db.internal:1521/ORCL",
                        List.of("tiger", "scott"), List.of("jdbc:oracle:thin:@//db.internal:1521/ORCL")),
                Arguments.of("jdbc:oracle:thin:scott/tiger@(DESCRIPTION=(ADDRESS=(HOST=h)(PORT=1521)))",
                        List.of("tiger", "scott"), List.of("@(DESCRIPTION=(ADDRESS=(HOST=h)(PORT=1521)))")),
                Arguments.of("jdbc:oracle:thin:scott/ti@g/e:r@h:1521:ORCL",
                        List.of("tiger", "ti@", "e:r", "scott"), List.of("@h:1521:ORCL")),
                // a quoted password holding @, ? and = (found by PrivacyLeakTest's generator)
                Arguments.of("jdbc:oracle:thin:scott/\"C@FMRnH?Qp=PkhM46M\"@//db.internal:1521/shop",
                        List.of("FMRnH", "PkhM46M", "Qp", "scott"),
                        List.of("jdbc:oracle:thin:@//db.internal:1521/shop")),
                Arguments.of("jdbc:oracle:thin:scott/\"p@ss\"@h:1521:ORCL?oracle.net.x=1",
                        List.of("p@ss", "ss", "scott"), List.of("@h:1521:ORCL")),
                Arguments.of("jdbc:sqlserver://h:1433;databaseName=shop;password={se;Qx}}Zk};encrypt=true",
                        List.of("se;", "Qx", "Zk"), List.of("jdbc:sqlserver://h:1433;databaseName=shop;encrypt=true")),
                Arguments.of("jdbc:mysql://(host=h,port=3306,user=root,password=secret)/shop",
                        List.of("secret", "root"), List.of("jdbc:mysql://h:3306/shop")),
                // a password holding #, / and ? before the @ (found by PrivacyLeakTest's generator)
                Arguments.of("jdbc:mariadb://app:8#L_/HF:6?=@db1:3306,db2:3306/shop?useSSL=true",
                        List.of("HF:6", "L_", "app"), List.of("jdbc:mariadb://")),
                // a password holding ) and / in a host specification (found by PrivacyLeakTest's generator)
                Arguments.of("jdbc:mysql://(host=db.internal,port=3306,user=root,password=d-Js)/T6B-f?5)/shop",
                        List.of("d-Js", "T6B", "root", "shop"), List.of("jdbc:mysql:")),
                Arguments.of("jdbc:mysql://address=(host=h)(port=3306)(password=secret)/shop?useSSL=true",
                        List.of("secret"), List.of("jdbc:mysql://h:3306/shop?useSSL=true")),
                Arguments.of("jdbc:mysql://root:secret@h1:3306,h2:3306/shop",
                        List.of("secret", "root"), List.of("jdbc:mysql://h1:3306,h2:3306/shop")),
                Arguments.of("jdbc:h2:tcp://sa:secret@localhost/~/test;USER=sa;PASSWORD=secret",
                        List.of("secret", "=sa"), List.of("jdbc:h2:tcp://localhost/~/test")),
                Arguments.of("jdbc:postgresql://h/db?sslpassword=secret&apiKey=secret&accessToken=secret",
                        List.of("secret", "sslpassword"), List.of("jdbc:postgresql://h/db")),
                Arguments.of("https://user:secret@hooks.example/x?token=secret&team=db",
                        List.of("secret", "user:", "team"), List.of("https://hooks.example/x")));
    }

    @Test
    void nullStaysNull() {
        assertThat(UrlRedactor.redact(null)).isNull();
    }

    /** Each vendor's URL grammar: the input and the short URL a person needs. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("grammar")
    void eachVendorsUrlBecomesHostPortDatabaseAndTheKeptSettings(String url, String expected) {
        assertThat(UrlRedactor.redact(url)).isEqualTo(expected);
    }

    static Stream<Arguments> grammar() {
        return Stream.of(
                // PostgreSQL: passwords with / ? ; @ in the user-info, secrets in parameters, getURL()'s echo
                Arguments.of("jdbc:postgresql://alice:S3cr3t/pw@db/app", "jdbc:postgresql://db/app"),
                Arguments.of("jdbc:postgresql://alice:S3c?r3t@db:5432/app", "jdbc:postgresql://db:5432/app"),
                Arguments.of("jdbc:postgresql://alice:S3c;r3t@db/app?sslmode=require", "jdbc:postgresql://db/app?sslmode=require"),
                Arguments.of("jdbc:postgresql://alice:p@ss/w?rd@db1:5432,db2:5433/app",
                        "jdbc:postgresql://db1:5432,db2:5433/app"),
                Arguments.of("jdbc:postgresql://db/app?user=alice&pass=S3cr3t&auth=x&sessionid=42&sslfactoryarg=y"
                        + "&options=-c%20password%3Dz&currentSchema=billing&ApplicationName=checkout",
                        "jdbc:postgresql://db/app?currentSchema=billing&ApplicationName=checkout"),
                Arguments.of("jdbc:postgresql://db.internal:5432/orders?ApplicationName=PostgreSQL JDBC Driver"
                        + "&adaptiveFetch=false&autosave=never&binaryTransfer=true&cancelSignalTimeout=10"
                        + "&connectTimeout=10&defaultRowFetchSize=0&loginTimeout=0&password=S3cr3t&prepareThreshold=5"
                        + "&socketTimeout=0&sslmode=prefer&tcpKeepAlive=false&user=app",
                        "jdbc:postgresql://db.internal:5432/orders?ApplicationName=***&connectTimeout=10&loginTimeout=0"
                        + "&socketTimeout=0&sslmode=prefer"),
                Arguments.of("jdbc:postgresql://myserver.example:5432/db?user=admin@myserver&password=S3cr3t&sslmode=require",
                        "jdbc:postgresql://myserver.example:5432/db?sslmode=require"),
                // a password starting with @ and holding ? and =: the URL reads two ways, each with valid hosts
                Arguments.of("jdbc:postgresql://alice:@c%gn?m=)9c;4(t@db.internal:5432/shop?sslmode=require",
                        "jdbc:postgresql://***"),
                Arguments.of("jdbc:postgresql://alice:S3cr3t@db:5432/app?user=admin@myserver", "jdbc:postgresql://***"),
                Arguments.of("jdbc:mysql://alice:@Sup3rS3cret?k=v@address=(host=db)(port=3306)/shop",
                        "jdbc:mysql://***"),
                Arguments.of("jdbc:mysql://alice:@Sup3rS3cret;k=v@address=(host=db)(port=3306)/shop",
                        "jdbc:mysql://***"),
                Arguments.of("jdbc:mysql://alice:@Sup3rS3cret?k=v@(host=db,port=3306)/shop", "jdbc:mysql://***"),
                Arguments.of("jdbc:postgresql://alice:12345?x=y@db:5432/shop", "jdbc:postgresql://***"),
                Arguments.of("jdbc:oracle:thin:scott/8@q.Fr4n?K=q2cl3lQ@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)"
                        + "(HOST=db.internal)(PORT=1521))(CONNECT_DATA=(SERVICE_NAME=shop)))", "jdbc:oracle:thin:***"),
                Arguments.of("jdbc:oracle:thin:scott/p@db?a=b@db:1521/x", "jdbc:oracle:thin:***"),
                Arguments.of("jdbc:postgresql://alice:12345;x=y@db:5432/shop", "jdbc:postgresql://***"),
                Arguments.of("jdbc:mysql://app:9;6D-d=k@address=(host=db.internal)(port=3306)/shop", "jdbc:mysql://***"),
                Arguments.of("jdbc:postgresql://alice:4,r2%F9;C=gF_@db.internal:5432/shop", "jdbc:postgresql://***"),
                Arguments.of("jdbc:postgresql://alice:5/rn;=zwm:NdK!@db.internal:5432/shop", "jdbc:postgresql://***"),
                Arguments.of("jdbc:postgresql://alice:12345?x=y@@db:5432/shop", "jdbc:postgresql://***"),
                Arguments.of("jdbc:mysql://db.internal/shop?user=root&password=:U$@C6g1r90c", "jdbc:mysql://db.internal/shop"),
                // an @ in a parameter value followed by a host name and nothing else reads two ways too
                Arguments.of("jdbc:postgresql://db:5432/app?user=admin@myserver", "jdbc:postgresql://***"),
                Arguments.of("jdbc:sqlserver://h:1433;user=a@b;password=x", "jdbc:sqlserver://h:1433"),
                Arguments.of("jdbc:postgresql://db:5432/app?user=admin@myserver&sslmode=require",
                        "jdbc:postgresql://db:5432/app?sslmode=require"),
                Arguments.of("jdbc:postgresql://alice:S3cr3t@db:5432/app?note=a@&sslmode=require",
                        "jdbc:postgresql://db:5432/app?sslmode=require"),
                Arguments.of("jdbc:postgresql://[::1]:5432/app", "jdbc:postgresql://[::1]:5432/app"),
                Arguments.of("jdbc:postgresql:app", "jdbc:postgresql:app"),
                // MariaDB / MySQL
                Arguments.of("jdbc:mariadb://app:S3;cr@t@db1,db2/shop?connectTimeout=1000&password=x",
                        "jdbc:mariadb://db1,db2/shop?connectTimeout=1000"),
                Arguments.of("jdbc:mariadb:replication://root:S3cr3t@primary:3306,replica:3306/shop",
                        "jdbc:mariadb:replication://primary:3306,replica:3306/shop"),
                Arguments.of("jdbc:mysql://address=(protocol=tcp)(host=db)(port=3306)(user=u)(password=S3cr3t)/shop",
                        "jdbc:mysql://db:3306/shop"),
                // H2
                Arguments.of("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1;MODE=PostgreSQL", "jdbc:h2:mem:test;MODE=PostgreSQL"),
                Arguments.of("jdbc:h2:file:/data/db;USER=sa;PASSWORD=S3cr3t;CIPHER=AES", "jdbc:h2:file:/data/db"),
                Arguments.of("jdbc:h2:tcp://localhost:9092/mem:shop;PASSWORD=S3cr3t", "jdbc:h2:tcp://localhost:9092/mem:shop"),
                // Oracle
                Arguments.of("jdbc:oracle:thin:scott/tiger@db.internal:1521:ORCL", "jdbc:oracle:thin:@db.internal:1521:ORCL"),
                Arguments.of("jdbc:oracle:thin:scott/\"p@ss(w)rd\"@//db:1521/svc", "jdbc:oracle:thin:@//db:1521/svc"),
                Arguments.of("jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(PROTOCOL=tcps)(HOST=db)(PORT=2484))"
                        + "(SECURITY=(MY_WALLET_DIRECTORY=/secret/wallet))(CONNECT_DATA=(SERVICE_NAME=svc)))",
                        "jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(PROTOCOL=tcps)(HOST=db)(PORT=2484))"
                        + "(CONNECT_DATA=(SERVICE_NAME=svc)))"),
                Arguments.of("jdbc:oracle:thin:@mydb_high?TNS_ADMIN=/wallet/dir", "jdbc:oracle:thin:@mydb_high"),
                // SQL Server
                Arguments.of("jdbc:sqlserver://db\\inst:1433;databaseName=shop;user=sa;password={p;w=}}d};encrypt=true;"
                        + "trustServerCertificate=true", "jdbc:sqlserver://db\\inst:1433;databaseName=shop;encrypt=true"),
                Arguments.of("jdbc:sqlserver://;serverName=db;databaseName=shop;accessToken=eyJ0",
                        "jdbc:sqlserver://;serverName=db;databaseName=shop"),
                // Db2, Derby, SQLite
                Arguments.of("jdbc:db2://db:50000/SHOP:user=u;password=S3cr3t;currentSchema=APP;",
                        "jdbc:db2://db:50000/SHOP;currentSchema=APP"),
                Arguments.of("jdbc:derby:memory:shop;create=true;user=u;password=S3cr3t", "jdbc:derby:memory:shop"),
                Arguments.of("jdbc:sqlite:/var/data/shop.db", "jdbc:sqlite:/var/data/shop.db"),
                Arguments.of("", ""));
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
                "jdbc:mariadb://db.internal:3306/shop?user=app&password=%s&useSsl=true",
                "jdbc:postgresql://app:%s@db.internal/shop",
                "jdbc:sqlserver://db.internal;databaseName=shop;password={%s}",
                "jdbc:oracle:thin:scott/\"%s\"@//db.internal:1521/shop");
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!$%*+-._~:/?;@=";
        for (String template : templates) {
            for (int round = 0; round < 20; round++) {
                StringBuilder secret = new StringBuilder();
                for (int i = 0; i < 12; i++) {
                    secret.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                String url = String.format(template, secret);

                String redacted = UrlRedactor.redact(url);

                assertThat(redacted).as(url).contains("shop");
                for (int i = 0; i + 4 <= secret.length(); i++) {
                    assertThat(redacted).as(url).doesNotContain(secret.substring(i, i + 4));
                }
            }
        }
    }

    static Stream<Arguments> seeds() {
        return LongStream.range(0, 5).mapToObj(i -> Arguments.of(0xC0FFEEL + i));
    }
}
