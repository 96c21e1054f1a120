#pragma once

#include "core/db/database.h"
#include "core/metrics/counter.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace cachescope {

/// Where rows come from: a database file, a table and its integer key column. Validated
/// against the real schema when a DataSource is made from it.
struct DataSourceSpec {
    QString path; ///< the SQLite file
    QString table = QStringLiteral("products"); ///< table to read
    QString keyColumn = QStringLiteral("id"); ///< integer column used as the cache key
    bool writable = false; ///< open read-write (only when the scenario asks for writes)
};

/// Counts of one connection's work, as a plain value.
struct DataSourceStats {
    std::uint64_t statements = 0; ///< statements executed (a batched IN (...) counts once)
    std::uint64_t bytesRead = 0; ///< bytes of column data read from the database
    std::uint64_t rowsRead = 0; ///< rows returned
    std::uint64_t dbNanos = 0; ///< time spent inside SQLite executing those statements

    DataSourceStats &operator+=(const DataSourceStats &other);
    DataSourceStats operator-(const DataSourceStats &other) const;
};

/// One worker's connection to the data source: a prepared point-read statement and counters of
/// everything it executes. Used from one thread only; its counters may be read from any.
class DataSourceConnection {
public:
    explicit DataSourceConnection(const DataSourceSpec &spec);

    /// Reads the row with \a key as a compact encoded row (see RowCodec); nullopt when absent.
    /// Runs synchronously on the calling thread. Throws DbError.
    std::optional<QByteArray> readRow(std::int64_t key);

    /// Counters so far (safe to call from any thread).
    DataSourceStats stats() const;

    Database &database() { return m_db; }

private:
    Database m_db;
    Statement m_pointRead;
    alignas(64) SingleWriterCounter m_statements;
    SingleWriterCounter m_bytesRead;
    SingleWriterCounter m_rowsRead;
    SingleWriterCounter m_dbNanos;
};

/// Facts about a table, read from the database itself.
struct TableInfo {
    QStringList columns; ///< column names in table order
    std::int64_t rowCount = 0; ///< rows in the table
};

/// Checks that the file opens, the table exists and the key column is one of its columns.
/// Throws DbError with a message naming what is wrong (and, for a bad name, what exists).
TableInfo inspectTable(const DataSourceSpec &spec);

/// The first \a limit keys of the table in key order (all of them when limit <= 0).
std::vector<std::int64_t> loadKeys(const DataSourceSpec &spec, std::int64_t limit);

} // namespace cachescope
