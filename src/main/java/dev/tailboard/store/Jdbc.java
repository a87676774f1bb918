package dev.tailboard.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Transactions and statements over the pool, shared by the JDBC stores. */
@ApplicationScoped
public class Jdbc {

  /** Work inside one transaction. */
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Maps the current row. */
  public interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  @Inject Database database;

  /** Runs {@code work} in a transaction: committed if it returns, rolled back if it throws. */
  public <T> T inTransaction(Work<T> work) {
    try (Connection c = database.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (RuntimeException | SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  /** Runs a query in its own transaction. */
  public <T> List<T> query(String sql, Row<T> row, Object... args) {
    return inTransaction(c -> query(c, sql, row, args));
  }

  public static <T> List<T> query(Connection c, String sql, Row<T> row, Object... args)
      throws SQLException {
    try (PreparedStatement q = c.prepareStatement(sql)) {
      bind(q, args);
      List<T> out = new ArrayList<>();
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.add(row.map(rs));
        }
      }
      return out;
    }
  }

  public static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement q = c.prepareStatement(sql)) {
      bind(q, args);
      return q.executeUpdate();
    }
  }

  public static void bind(PreparedStatement q, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      if (args[i] == null) {
        q.setNull(i + 1, Types.NULL);
      } else {
        q.setObject(i + 1, args[i]);
      }
    }
  }

  /** {@code (?, ?, ?)} for an {@code IN} list of {@code n} values (n ≥ 1). */
  public static String inList(int n) {
    return "(" + String.join(", ", Collections.nCopies(n, "?")) + ")";
  }
}
