package io.incidentsdk.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is optional: with no Micrometer jar on the class path at all (not only hidden from conditions,
 * as {@code FilteredClassLoader} does), the integration starts, watches the DataSource and records incidents.
 */
class WithoutMicrometerTests {

    @Test
    void theIntegrationWorksWithNoMicrometerJarOnTheClassPath() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        URL[] urls = Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> !entry.contains("micrometer") && !entry.contains("HdrHistogram")
                        && !entry.contains("LatencyUtils"))
                .map(WithoutMicrometerTests::url).toArray(URL[]::new);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader isolated = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            thread.setContextClassLoader(isolated);
            Object outcome = isolated.loadClass(NoMicrometerProbe.class.getName()).getMethod("run").invoke(null);
            assertThat(outcome).isEqualTo("false 1 true PROGRAMMING_ERROR");
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static URL url(String entry) {
        try {
            return new File(entry).toURI().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(entry, e);
        }
    }
}
