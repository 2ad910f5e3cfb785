package io.incidentsdk.spring;

import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Turns a refused {@code incident.*} setting into Spring Boot's failure analysis: the property as it is
 * written in {@code application.properties} ({@code incident.jdbc.spike.threshold}), the value, and the allowed
 * range, instead of a stack trace. Registered in {@code META-INF/spring.factories}; ahead of Boot's generic
 * binding analysis, which would name the property by its Java field ({@code spikeThreshold}).
 */
final class IncidentPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<BindValidationException>
        implements Ordered {

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindValidationException cause) {
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
                        .append("\n    Value: \"").append(secret(field.getField()) ? "******" : field.getRejectedValue())
                        .append("\"\n");
            }
            description.append("    Reason: ").append(error.getDefaultMessage()).append('\n');
        }
        return new FailureAnalysis(description.toString(), "Change the value in your configuration to one within the "
                + "allowed range (the incident.* properties are listed with their defaults in the IDE help and the "
                + "Incident SDK README), or remove it to use the default.", cause);
    }

    /** Settings whose value is a credential (or holds one, as a chat webhook URL's path does): never shown. */
    static boolean secret(String javaPath) {
        return javaPath.endsWith(".secret") || javaPath.endsWith(".routingKey") || javaPath.contains(".headers")
                || javaPath.endsWith(".webhookUrl") || javaPath.contains("kafka.properties");
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
