package io.incidentsdk;

import io.incidentsdk.internal.Limits;
import io.incidentsdk.internal.Text;
import io.incidentsdk.internal.Timelines;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Copies and bounds the collections of the record types. */
final class Records {

    private Records() {
    }

    static List<String> boundedList(List<String> values, int maxEntries, Text.Field field) {
        if (values == null || values.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(Math.min(values.size(), maxEntries));
        for (String value : values) {
            if (out.size() == maxEntries) {
                break;
            }
            if (value != null) {
                out.add(Text.field(field, value));
            }
        }
        return Collections.unmodifiableList(out);
    }

    static Map<String, Long> boundedCounts(Map<String, Long> values, int maxEntries) {
        if (values == null || values.isEmpty()) {
            return Map.of();
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> entry : values.entrySet()) {
            if (out.size() == maxEntries) {
                break;
            }
            if (entry.getKey() != null && entry.getValue() != null) {
                out.put(Text.field(Text.Field.SHORT, entry.getKey()), entry.getValue());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    static Map<String, String> boundedAttributes(Map<String, String> values) {
        if (values == null || values.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            if (out.size() == Limits.ATTRIBUTES) {
                break;
            }
            if (entry.getKey() != null && entry.getValue() != null) {
                out.put(Text.field(Text.Field.ATTRIBUTE_KEY, entry.getKey()), Text.field(Text.Field.SHORT, entry.getValue()));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    static <T> List<T> copy(List<T> values, int maxEntries) {
        if (values == null || values.isEmpty()) {
            return List.of();
        }
        List<T> out = new ArrayList<>(Math.min(values.size(), maxEntries));
        for (T value : values) {
            if (out.size() == maxEntries) {
                break;
            }
            if (value != null) {
                out.add(value);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Sorts the entries by time, keeps one entry of each type that happens once in an incident (see
     * {@link Timelines}), then keeps the first {@link Limits#TIMELINE_HEAD} entries and the latest others, up to
     * the bound.
     */
    static List<TimelineEntry> boundedTimeline(List<TimelineEntry> entries) {
        if (entries == null || entries.isEmpty()) {
            return List.of();
        }
        List<TimelineEntry> nonNull = new ArrayList<>(entries.size());
        for (TimelineEntry entry : entries) {
            if (entry != null) {
                nonNull.add(entry);
            }
        }
        nonNull = Timelines.normalize(nonNull);
        if (nonNull.size() <= Limits.TIMELINE) {
            return Collections.unmodifiableList(nonNull);
        }
        List<TimelineEntry> out = new ArrayList<>(Limits.TIMELINE);
        out.addAll(nonNull.subList(0, Limits.TIMELINE_HEAD));
        out.addAll(nonNull.subList(nonNull.size() - (Limits.TIMELINE - Limits.TIMELINE_HEAD), nonNull.size()));
        return Collections.unmodifiableList(out);
    }
}
