#pragma once

#include "core/db/database.h"
#include "core/db/tableschema.h"
#include "core/load/simulatedfaults.h"
#include "core/load/source.h"
#include "core/metrics/counter.h"
#include "core/projection/projection.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace cachescope {

/// Where rows come from: a database (a SQLite file, or a PostgreSQL server's URL), a table and
/// its integer key column. Validated against the real schema when a DataSource is made from it.
/// Which read replica a read goes to (db.replica_reads).
enum class ReplicaReads : std::uint8_t {
    RoundRobin, ///< each in turn
    LeastLoaded, ///< the one with the fewest statements in flight (a replica that is down: none)
};

struct DataSourceSpec {
    DataSourceSpec() = default;
    /// A SQLite file's table (the server's fields keep their defaults).
    DataSourceSpec(QString file, QString tableName, QString key, bool writes)
        : path(std::move(file))
        , table(std::move(tableName))
        , keyColumn(std::move(key))
        , writable(writes)
    {
    }

    QString path; ///< the SQLite file (when url is empty)
    QString table = QStringLiteral("products"); ///< table to read
    QString keyColumn = QStringLiteral("id"); ///< integer column used as the cache key
    bool writable = false; ///< open read-write (only when the scenario asks for writes)
    QString url; ///< db.url: a PostgreSQL server (libpq's URI or key=value rules); empty = SQLite
    QStringList replicas; ///< db.replicas: read replicas of that server (reads go there, writes to url)
    ReplicaReads replicaReads = ReplicaReads::RoundRobin; ///< db.replica_reads: which replica a read goes to
    /// db.primary_after_write: a read of a key written this recently goes to the primary (read
    /// your writes; 0 = never). Needs the run's record of writes (setRecentWrites()).
    std::chrono::nanoseconds primaryAfterWrite {0};
    int connections = 0; ///< db.connections: a server's connections per worker (0 = one per client)
    int pipelineDepth = 1; ///< db.pipeline_depth: statements in flight on one server connection
    std::chrono::milliseconds timeout {10000}; ///< db.timeout: connecting, and each statement
    /// The integer column a write bumps (db.version_column resolved): reads are checked against
    /// the versions writes commit. Empty: writes leave the row as it was.
    QString versionColumn;

    bool isServer() const { return !url.isEmpty(); }
    /// What to call the database in a message: the file, or the URL with its password masked.
    QString displayName() const;
    /// \a url with its password masked ("***"), for anything shown or kept.
    static QString maskUrl(const QString &url);
};

/// Opens the spec's database: a DataSourceConnection (SQLite) or a PostgreSQL source. Throws
/// DbError naming what is missing or unreachable.
std::unique_ptr<DataSource> openDataSource(const DataSourceSpec &spec);

/// One worker's connection to a SQLite database: prepared point and batched reads for any
/// projection of the table (cached per projection), projected writes, and counters of
/// everything it executes. Used from one thread only; its counters may be read from any.
class DataSourceConnection final : public DataSource {
public:
    /// Opens the file (read-only unless the spec is writable) and reads the table's schema.
    /// Throws DbError naming a missing file, table or key column.
    explicit DataSourceConnection(const DataSourceSpec &spec);

    SourceCapabilities capabilities() const override;

    const TableSchema &schema() const override { return m_schema; }
    /// Every column of the table.
    const Projection &allColumns() const override { return m_all; }

    /// Reads the row with \a key (all columns) as a compact encoded row (see RowCodec);
    /// nullopt when absent. Runs synchronously on the calling thread. Throws DbError.
    std::optional<QByteArray> readRow(std::int64_t key);
    /// Reads only the columns of \a projection (one of this table's).
    std::optional<QByteArray> readRow(std::int64_t key, const Projection &projection) override;
    /// Reads the row as readRow() does — the same statement, counted alike — and keeps nothing:
    /// every column is fetched from SQLite, none is encoded. What a reader with no cache to fill
    /// does with a row (the uncached baseline). Returns whether the row exists. Throws DbError.
    bool consumeRow(std::int64_t key, const Projection &projection) override;
    /// Reads many keys with `WHERE key IN (...)`: one statement per kMaxBatch distinct keys.
    /// The answer holds one entry per key given, in the same order (duplicates answered alike).
    std::vector<std::optional<QByteArray>> readRows(
        const std::vector<std::int64_t> &keys, const Projection &projection) override;
    /// Updates the projected columns of the row with \a key (the key column itself is not
    /// written) from \a values, one per projected column in table order. Needs a writable spec.
    /// Returns false when no row has this key. Throws DbError.
    bool writeRow(std::int64_t key, const Projection &projection, const QVariantList &values);

    /// A write that leaves the data as it was: `UPDATE ... SET c = c` for the projected columns
    /// (the key column when it is the only one) of the row with \a key. SQLite really writes the
    /// row (journal, page, lock), but the user's data stays the same. Needs a writable spec.
    /// Returns false when no row has this key. Throws DbError.
    std::optional<std::int64_t> rewriteRow(std::int64_t key, const Projection &projection) override;

    /// Makes a share \a rate (0 … 1) of the statements fail, as a flaky remote database would:
    /// such a statement is counted, does not run, and throws DbError ("simulated failure").
    /// Seeded, so the same statements fail in every run.
    void setFailureRate(double rate, std::uint64_t seed) override;
    /// Makes every \a every-th statement stall for \a stall first (the thread blocks, as on a lock
    /// wait or a pause of a remote server); 0 = never.
    void setStall(std::chrono::nanoseconds stall, std::int64_t every) override;
    /// Ends a stall and a wait for another process's lock, and interrupts a running statement,
    /// once \a stop is set (the phase's end, Stop); nullptr: never. See Database::setInterrupt.
    void setInterrupt(const std::atomic<bool> *stop) override;

    /// Most keys in one IN (...) statement.
    static constexpr int kMaxBatch = 500;

    /// Counters so far (safe to call from any thread).
    DataSourceStats stats() const override;
    /// Runs of this connection's prepared statements as SQLite itself counts them
    /// (SQLITE_STMTSTATUS_RUN summed over its live statements): the cross-check of stats(). Call
    /// on the connection's thread.
    std::uint64_t runsCountedBySqlite() const;

    Database &database() { return m_db; }

private:
    Statement &pointStatement(const Projection &projection);
    /// One point read of \a key: binds, steps, hands a found row's statement to \a onRow (which
    /// returns the bytes it read), resets, and accounts for it. Returns whether the row exists.
    template<typename OnRow> bool readPoint(std::int64_t key, const Projection &projection, OnRow onRow);
    Statement &batchStatement(const Projection &projection, int count);
    void account(std::uint64_t statements, std::uint64_t bytes, std::uint64_t rows, std::int64_t nanos);
    // In a catch block: counts the statement that threw (see Database::setInterrupt).
    void accountFailure(std::uint64_t bytes, std::uint64_t rows, std::uint64_t startTicks);
    void maybeFail();

    Database m_db;
    TableSchema m_schema;
    Projection m_all;
    int m_versionIndex = -1; // the column writes bump (DataSourceSpec::versionColumn); -1 = none
    std::unordered_map<ColumnSet, Statement> m_pointReads;
    ColumnSet m_lastColumns; // the projection of m_lastPoint
    Statement *m_lastPoint = nullptr;
    std::unordered_map<ColumnSet, std::unordered_map<int, Statement>> m_batchReads;
    std::unordered_map<ColumnSet, Statement> m_writes;
    std::unordered_map<ColumnSet, Statement> m_rewrites;
    alignas(64) SingleWriterCounter m_statements;
    SingleWriterCounter m_bytesRead;
    SingleWriterCounter m_rowsRead;
    SingleWriterCounter m_dbNanos;
    SingleWriterCounter m_failures;
    SimulatedFaults m_faults;
    const std::atomic<bool> *m_interrupt = nullptr;
};

/// Facts about a table, read from the database itself.
struct TableInfo {
    QStringList columns; ///< column names in table order
    QStringList types; ///< their declared types, same order
    std::int64_t rowCount = 0; ///< rows in the table
};

/// Checks that the file opens, the table exists and the key column is one of its columns.
/// Throws DbError with a message naming what is wrong (and, for a bad name, what exists).
TableInfo inspectTable(const DataSourceSpec &spec);

/// Every table of the database file \a path with its columns and usable keys (opened read-only);
/// throws DbError when the file cannot be opened.
QList<TableChoice> listTables(const QString &path);

/// Every table of the spec's database (a SQLite file or a server) with its columns and usable
/// keys; throws DbError when it cannot be read (an unreachable server, a wrong password).
QList<TableChoice> listTables(const DataSourceSpec &spec);

/// What "Test connection" found: the server (or file), how many tables it has, and each read
/// replica's state; error says why the database could not be read (nothing else is then set).
struct ConnectionCheck {
    QString server; ///< "PostgreSQL 15.5", "SQLite 3.40.1"
    int tables = 0; ///< tables and views CacheScope could read
    struct Replica {
        QString url; ///< masked
        QString server; ///< its version
        bool inRecovery = false; ///< a standby (false: the URL names a primary, not a replica)
        double lagSeconds = 0.0; ///< since the last transaction it replayed (0 when caught up)
        QString error; ///< why it could not be reached
    };
    std::vector<Replica> replicas; ///< one per db.replicas URL, in order
    QString error;
};
/// Connects to the spec's database (each of its replicas too) and reads what ConnectionCheck
/// holds. Never throws; blocking (up to db.timeout per server).
ConnectionCheck checkConnection(const DataSourceSpec &spec);

/// The projection \a fields (comma-separated, empty = all) of the spec's table, validated
/// against the schema the database reports. Throws DbError or ProjectionError.
Projection resolveProjection(const DataSourceSpec &spec, const QString &fields);

/// The first \a limit keys of the table in key order (all of them when limit <= 0).
std::vector<std::int64_t> loadKeys(const DataSourceSpec &spec, std::int64_t limit);

} // namespace cachescope
