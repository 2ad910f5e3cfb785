package io.incidentsdk.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Checks the lock order of every transaction the test class runs through a watched data source, with
 * {@link LockOrderExtension}: {@code @LockOrderCheck} fails the class on a lock-order risk,
 * {@code @LockOrderCheck(LockOrderCheck.Mode.WARN)} only reports it.
 *
 * @since 0.2.0
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(LockOrderExtension.class)
public @interface LockOrderCheck {

    /**
     * What to do with a lock-order risk.
     *
     * @return the mode, {@link Mode#FAIL} by default
     */
    Mode value() default Mode.FAIL;

    /**
     * What a lock-order risk does to the test class.
     *
     * @since 0.2.0
     */
    enum Mode {
        /** The class fails after its tests ran, with the risk report as the message. */
        FAIL,
        /** The class passes; the report is logged at WARN and published as a report entry. */
        WARN
    }
}
