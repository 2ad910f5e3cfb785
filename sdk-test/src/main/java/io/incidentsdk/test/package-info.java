/**
 * Test support for applications that use Incident SDK: {@link io.incidentsdk.test.LockOrderExtension} fails a test
 * class whose transactions take row locks in an order that can deadlock.
 *
 * @since 0.2.0
 */
package io.incidentsdk.test;
