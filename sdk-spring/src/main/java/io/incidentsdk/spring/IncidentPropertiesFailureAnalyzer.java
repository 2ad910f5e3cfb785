package io.incidentsdk.spring;

import io.incidentsdk.spring.internal.ShownUrls;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Turns a refused {@code incident.*} setting into Spring Boot's failure analysis: the property as it is
 * written in {@code application.properties} ({@code incident.jdbc.spike.threshold}), the value, and the allowed
 * range, instead of a stack trace. Registered in {@code META-INF/spring.factories}; ahead of Boot's generic
 * binding analysis, which would name the property by its Java field ({@code spikeThreshold}).
 *
 * <p>Values that are credentials are never shown, and URLs ({@code incident.sinks.*.url}, {@code .endpoint},
 * {@code .webhook-url}, {@code .postmortem-url}) only as scheme, host and port: a chat or webhook URL holds a
 * token in its path or query. That holds also for a value that could not be converted at all (Boot's own
 * analysis would print it): for an {@code incident.*} property that is a credential or a URL, this analyzer
 * answers first.
 */
final class IncidentPropertiesFailureAnalyzer implements FailureAnalyzer, Ordered {

    private static final String ACTION = "Change the value in your configuration to one within the allowed range "
            + "(the incident.* properties are listed with their defaults in the IDE help and the Incident SDK "
            + "README), or remove it to use the default.";

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        BindValidationException validation = find(failure, BindValidationException.class);
        if (validation != null) {
            return analyze(validation);
        }
        BindException bind = find(failure, BindException.class);
        return bind != null ? analyze(bind) : null;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth++ < 64; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static FailureAnalysis analyze(BindValidationException cause) {
        ValidationErrors errors = cause.getValidationErrors();
        String prefix = errors.getName().toString();
        if (!prefix.equals("incident")) {
            return null;
        }
        StringBuilder description = new StringBuilder("Incident SDK refused ")
                .append(errors.getAllErrors().size() == 1 ? "a setting" : "settings").append(":\n");
        for (ObjectError error : errors) {
            description.append('\n');
            if (error instanceof FieldError field) {
                description.append("    Property: ").append(prefix).append('.').append(kebab(field.getField()))
                        .append("\n    Value: \"").append(shown(field.getField(), field.getRejectedValue()))
                        .append("\"\n");
            }
            description.append("    Reason: ").append(error.getDefaultMessage()).append('\n');
        }
        return new FailureAnalysis(description.toString(), ACTION, cause);
    }

    /**
     * A value that could not even be converted (a URL that does not parse): answered here only for a credential
     * or a URL under {@code incident.}, whose value Boot's analysis would show; anything else is left to Boot.
     */
    private static FailureAnalysis analyze(BindException cause) {
        String name = cause.getName() == null ? "" : cause.getName().toString();
        if (!name.startsWith("incident.")) {
            return null;
        }
        String javaPath = camel(name.substring("incident.".length()));
        if (!secret(javaPath) && !url(javaPath)) {
            return null;
        }
        ConfigurationProperty property = cause.getProperty();
        Object value = property != null ? property.getValue() : null;
        String target = cause.getTarget() != null && cause.getTarget().getType() != null
                && cause.getTarget().getType().resolve() != null
                ? cause.getTarget().getType().resolve().getSimpleName() : "the property's type";
        StringBuilder description = new StringBuilder("Incident SDK could not read a setting:\n\n")
                .append("    Property: ").append(name).append('\n')
                .append("    Value: \"").append(shown(javaPath, value)).append("\"\n");
        if (property != null && property.getOrigin() != null) {
            description.append("    Origin: ").append(property.getOrigin()).append('\n');
        }
        description.append("    Reason: not a valid ").append(target)
                .append(" (the value is not shown in full: it may hold a secret)\n");
        return new FailureAnalysis(description.toString(), ACTION, cause);
    }

    /** A rejected value as it may be shown: credentials masked, URLs reduced to where they point. */
    static String shown(String javaPath, Object value) {
        if (secret(javaPath)) {
            return "******";
        }
        if (url(javaPath)) {
            return value == null ? "null" : ShownUrls.origin(String.valueOf(value));
        }
        return String.valueOf(value);
    }

    /** Settings whose value is a URL: shown only as scheme, host and port (its path or query may hold a token). */
    static boolean url(String javaPath) {
        String last = javaPath.substring(javaPath.lastIndexOf('.') + 1);
        return last.equals("url") || last.endsWith("Url") || last.equals("endpoint");
    }

    /** Settings whose value is a credential: never shown. */
    static boolean secret(String javaPath) {
        return javaPath.endsWith(".secret") || javaPath.endsWith(".routingKey") || javaPath.contains(".headers")
                || javaPath.contains("kafka.properties");
    }

    /** {@code sinks.slack.webhook-url} (a canonical property name) as a Java path: {@code sinks.slack.webhookUrl}. */
    static String camel(String kebab) {
        StringBuilder name = new StringBuilder(kebab.length());
        boolean upper = false;
        for (int i = 0; i < kebab.length(); i++) {
            char c = kebab.charAt(i);
            if (c == '-') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }

    /** {@code jdbc.spike.recoveryThreshold} as it is written in a properties file: {@code jdbc.spike.recovery-threshold}. */
    static String kebab(String javaPath) {
        StringBuilder name = new StringBuilder(javaPath.length() + 8);
        for (int i = 0; i < javaPath.length(); i++) {
            char c = javaPath.charAt(i);
            if (Character.isUpperCase(c)) {
                name.append('-').append(Character.toLowerCase(c));
            } else {
                name.append(c);
            }
        }
        return name.toString();
    }
}
