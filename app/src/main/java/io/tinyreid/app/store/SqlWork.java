package io.tinyreid.app.store;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of database work run by {@link Database} on its connection. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection c) throws SQLException;
}
