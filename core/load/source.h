#pragma once

#include "core/db/tableschema.h"
#include "core/load/loadresult.h"
#include "core/projection/projection.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include <qcoro/qcorotask.h>

namespace cachescope {

/// Counts of one connection's work, as a plain value.
struct DataSourceStats {
    std::uint64_t statements = 0; ///< statements executed (a batched IN (...) counts once)
    std::uint64_t bytesRead = 0; ///< bytes of column data read from the database
    std::uint64_t rowsRead = 0; ///< rows returned
    std::uint64_t dbNanos = 0; ///< time spent in the database (SQLite's call; a server's round-trip)
    std::uint64_t failures = 0; ///< statements that failed (real errors and simulated ones)

    DataSourceStats &operator+=(const DataSourceStats &other);
    DataSourceStats operator-(const DataSourceStats &other) const;
};

/// What a data source can do, for the engine to ask instead of testing which database it is.
struct SourceCapabilities {
    QString kind; ///< "sqlite" or "postgresql"
    /// Statements run to completion on the calling thread in microseconds (an embedded
    /// database): the engine runs them inline, with no coroutine. Otherwise they are awaited.
    bool runsInline = true;
    bool writable = false; ///< opened for writes (the scenario asked for them)
    int maxBindParameters = 0; ///< bound values one statement may carry
    int maxBatch = 500; ///< keys per batched read
};

/// The rows of a batched read, one per key asked for (nullopt: no such row), or why it failed.
struct RowsResult {
    std::vector<std::optional<QByteArray>> rows;
    QString error; ///< empty on success
    int errorCode = 0;
};

/// How far one read replica is behind its primary.
struct ReplicaLag {
    QString url; ///< masked
    double seconds = 0.0; ///< since the last transaction it replayed (0 when caught up)
    std::int64_t bytes = 0; ///< WAL bytes between the primary's position and its replay position
    std::optional<std::uint64_t> statements; ///< statements on the table it ran (pg_stat_statements)
    QString error; ///< why it could not be read
};

/// One worker's connection to the database, whichever it is (SQLite, PostgreSQL): point and
/// batched reads of any projection of the table, writes, and counters of all it executes.
/// The engine, the cache's loaders, warm-up and the baseline talk to this alone. Used from one
/// thread; stats() from any.
class DataSource {
public:
    virtual ~DataSource();

    virtual SourceCapabilities capabilities() const = 0;
    virtual const TableSchema &schema() const = 0;
    /// Every column of the table.
    virtual const Projection &allColumns() const = 0;

    // ---- synchronous: an embedded database's normal path; for a server, set-up work
    /// The row with \a key (the columns of \a projection) encoded (RowCodec); nullopt when
    /// absent. Throws DbError.
    virtual std::optional<QByteArray> readRow(std::int64_t key, const Projection &projection) = 0;
    /// Reads the row as readRow() does and keeps nothing (the uncached baseline). Throws DbError.
    virtual bool consumeRow(std::int64_t key, const Projection &projection) = 0;
    /// Many keys at once; one answer per key given, in order (duplicates answered alike).
    virtual std::vector<std::optional<QByteArray>> readRows(
        const std::vector<std::int64_t> &keys, const Projection &projection)
        = 0;
    /// A write of the row: with a version column (DataSourceSpec::versionColumn) it bumps that
    /// column and returns the new version (UPDATE ... SET v = v + 1 ... RETURNING v); without one
    /// it leaves the data as it was (UPDATE ... SET c = c) and returns 0. nullopt: no such row.
    /// Needs a writable source.
    virtual std::optional<std::int64_t> rewriteRow(std::int64_t key, const Projection &projection) = 0;

    // ---- asynchronous: awaited on the calling thread's event loop (other clients go on)
    /// A point read: Found with the encoded row (an empty value when \a keep is false: the
    /// baseline's read), NotFound, or Failed. By default the synchronous call.
    virtual QCoro::Task<LoadResult> load(std::int64_t key, const Projection *projection, bool keep);
    /// A rewrite of the row (see rewriteRow): Found (with the new version), NotFound or Failed.
    virtual QCoro::Task<LoadResult> rewrite(std::int64_t key, const Projection *projection);
    using RowsDone = std::function<void(RowsResult &result)>;
    /// A batched read whose answer \a done receives on this thread (at once for a synchronous
    /// source). \a keys are distinct.
    virtual void loadRows(const std::vector<std::int64_t> &keys, const Projection *projection, const RowsDone &done);

    /// Gets ready for \a statements in flight at once (a server: opens that many connections,
    /// or fewer when db.connections limits them). Call on the source's thread before a phase.
    virtual void prepareFor(int statements);

    /// Makes a share \a rate (0 … 1) of the statements fail (counted, not run), seeded.
    virtual void setFailureRate(double rate, std::uint64_t seed) = 0;
    /// Makes every \a every-th statement stall for \a stall first; 0 = never.
    virtual void setStall(std::chrono::nanoseconds stall, std::int64_t every) = 0;
    /// Ends waits and running statements once \a stop is set; nullptr: never.
    virtual void setInterrupt(const std::atomic<bool> *stop) = 0;

    /// Counters so far (safe to call from any thread).
    virtual DataSourceStats stats() const = 0;

    /// A server's version ("15.18"); empty for an embedded database.
    virtual QString serverVersion() const { return {}; }
    /// How many statements on this table the server itself has run, all connections together
    /// (PostgreSQL: pg_stat_statements, when the extension is installed in the database): the
    /// cross-check of stats(). nullopt when the server cannot tell. Blocking; set-up work.
    virtual std::optional<std::uint64_t> statementsCountedByServer() { return std::nullopt; }
    /// Gives up on the statements still in flight (the phase has ended; a server that has not
    /// answered them): each fails at once as an interruption. Nothing for a synchronous source.
    virtual void abandonInFlight() { }
    /// Read your writes (DataSourceSpec::primaryAfterWrite): \a wroteRecently tells whether a key
    /// was written so recently that a replica may not have it; such reads go to the primary. An
    /// empty function: none does. Nothing for a source without replicas.
    virtual void setRecentWrites(const std::function<bool(std::int64_t key)> &wroteRecently)
    {
        Q_UNUSED(wroteRecently);
    }
    /// How far each read replica is behind (none for a source without replicas). Blocking.
    virtual std::vector<ReplicaLag> replicaLag() { return {}; }
};

/// Whether a declared column type holds integers ("INTEGER", "bigint", "int8", ...).
bool isIntegerTypeName(const QString &type);
/// The position of \a column, the version column writes bump, in \a schema; throws DataError
/// naming it when the table has no such column or it is not an integer column.
int versionColumnIndex(const TableSchema &schema, const QString &column);

} // namespace cachescope
