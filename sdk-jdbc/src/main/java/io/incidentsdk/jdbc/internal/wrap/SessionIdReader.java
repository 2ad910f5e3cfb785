package io.incidentsdk.jdbc.internal.wrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the database's id for a session (PostgreSQL backend PID, MariaDB/MySQL connection id) from the
 * driver's connection object, without running a query.
 *
 * <p>None of the drivers is a compile dependency: their classes are looked up by name, through the class
 * loader of the driver's connection (reached with {@code unwrap(Connection.class)}, which a pool such as
 * HikariCP answers with the driver's connection), then the thread's context class loader, then ours. The
 * accessor (a {@link MethodHandle}) is resolved once per connection class and cached. Anything that goes
 * wrong yields {@code null}.
 */
final class SessionIdReader {

    /** A driver class (interface or class) and its public no-argument {@code int}/{@code long} id method. */
    record Vendor(String className, String methodName) {
    }

    static final SessionIdReader DEFAULT = new SessionIdReader(List.of(
            new Vendor("org.postgresql.PGConnection", "getBackendPID"),
            new Vendor("org.mariadb.jdbc.Connection", "getThreadId"),
            new Vendor("com.mysql.cj.jdbc.JdbcConnection", "getId")));

    private static final MethodType READ_TYPE = MethodType.methodType(long.class, Object.class);

    private final List<Vendor> vendors;
    private final ClassValue<Accessors> accessors = new ClassValue<>() {
        @Override
        protected Accessors computeValue(Class<?> connectionClass) {
            return resolve(connectionClass);
        }
    };

    SessionIdReader(List<Vendor> vendors) {
        this.vendors = List.copyOf(vendors);
    }

    /**
     * The session id of this connection (a driver's connection or a pool's proxy of one).
     *
     * @return the id, or {@code null} when the driver is not one we know or anything failed
     */
    Long read(Connection connection) {
        try {
            Connection driverConnection = connection;
            Object unwrapped = connection.unwrap(Connection.class);
            if (unwrapped instanceof Connection) {
                driverConnection = (Connection) unwrapped;
            }
            Accessors found = accessors.get(driverConnection.getClass());
            for (Accessor accessor : found.direct) {
                if (accessor.type.isInstance(driverConnection)) {
                    return accessor.read(driverConnection);
                }
            }
            for (Accessor accessor : found.unwrapping) {
                if (connection.isWrapperFor(accessor.type)) {
                    return accessor.read(connection.unwrap(accessor.type));
                }
            }
            return null;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            // a session id is a nicety for forensics: no driver quirk may break the application for it
            return null;
        }
    }

    private Accessors resolve(Class<?> connectionClass) {
        List<Accessor> direct = new ArrayList<>();
        List<Accessor> unwrapping = new ArrayList<>();
        for (Vendor vendor : vendors) {
            Class<?> type = load(vendor.className(), connectionClass.getClassLoader());
            if (type == null) {
                type = load(vendor.className(), Thread.currentThread().getContextClassLoader());
            }
            if (type == null) {
                type = load(vendor.className(), SessionIdReader.class.getClassLoader());
            }
            if (type == null) {
                continue;
            }
            MethodHandle handle = idMethod(type, vendor.methodName());
            if (handle == null) {
                continue;
            }
            (type.isAssignableFrom(connectionClass) ? direct : unwrapping).add(new Accessor(type, handle));
        }
        return new Accessors(List.copyOf(direct), List.copyOf(unwrapping));
    }

    private static Class<?> load(String className, ClassLoader loader) {
        try {
            return Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError | SecurityException e) {
            return null;
        }
    }

    private static MethodHandle idMethod(Class<?> type, String methodName) {
        for (Class<?> returnType : new Class<?>[] {long.class, int.class}) {
            try {
                return MethodHandles.publicLookup()
                        .findVirtual(type, methodName, MethodType.methodType(returnType))
                        .asType(READ_TYPE);
            } catch (NoSuchMethodException | IllegalAccessException | SecurityException e) {
                // try the next return type
            }
        }
        return null;
    }

    private record Accessors(List<Accessor> direct, List<Accessor> unwrapping) {
    }

    private record Accessor(Class<?> type, MethodHandle handle) {

        Long read(Object target) throws Throwable {
            return (long) handle.invokeExact(target);
        }
    }
}
