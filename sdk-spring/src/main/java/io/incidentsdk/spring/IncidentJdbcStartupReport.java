package io.incidentsdk.spring;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Says once, when the singletons are ready, which DataSource beans are watched and where the watch sits (one
 * INFO line), and warns about names in {@code incident.jdbc.excluded-beans} that match no DataSource bean (a
 * typo there would leave the DataSource watched that the user meant to exclude).
 */
final class IncidentJdbcStartupReport implements SmartInitializingSingleton {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentJdbcStartupReport.class);

    private final ListableBeanFactory beans;
    private final IncidentDataSourcePostProcessor watcher;
    private final List<String> excluded;

    IncidentJdbcStartupReport(ListableBeanFactory beans, IncidentDataSourcePostProcessor watcher,
                              List<String> excluded) {
        this.beans = beans;
        this.watcher = watcher;
        this.excluded = List.copyOf(excluded);
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<String> dataSources = Arrays.asList(beans.getBeanNamesForType(DataSource.class, true, false));
        for (String name : excluded) {
            if (!dataSources.contains(name)) {
                LOG.warn("incident.jdbc.excluded-beans names \"{}\", which is no DataSource bean of this application "
                        + "(DataSource beans: {}); nothing is excluded by it", name, dataSources);
            }
        }
        Map<String, String> placements = watcher.placements();
        if (placements.isEmpty()) {
            LOG.info("Incident SDK watches no DataSource bean");
        } else {
            LOG.info("Incident SDK watches {} DataSource bean{}: {}", placements.size(), placements.size() == 1 ? "" : "s",
                    placements.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                            .collect(Collectors.joining(", ")));
        }
    }
}
