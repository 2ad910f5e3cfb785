/**
 * Internals of the Spring Boot integration (the retry advices). Not part of the public API: may change in any
 * release.
 */
package io.incidentsdk.spring.internal;
