/**
 * Lock-order analysis and avoidance (DESIGN section 11): per sampled explicit transaction the order in which
 * it takes row locks (tables, and the direction of consecutive keys of one table), a bounded graph of
 * "shape S locks A before B", {@code LOCK_ORDER_RISK} incidents, and the opt-in gate of
 * {@link io.incidentsdk.jdbc.TransactionRunner} units.
 *
 * <p>Not API: these types may change in any release.
 */
package io.incidentsdk.jdbc.internal.lockorder;
