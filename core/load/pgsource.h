#pragma once

#include "core/load/datasource.h"
#include "core/load/simulatedfaults.h"
#include "core/load/source.h"
#include "core/metrics/counter.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>
#include <unordered_map>
#include <vector>

struct pg_result;

namespace cachescope {

class PgConnection;

/// One worker's connection to a PostgreSQL server: a small pool of libpq connections (one per
/// statement in flight, up to db.connections; db.pipeline_depth statements on each before another
/// is opened), prepared statements per projection, values always bound as parameters,
/// identifiers quoted by the server's rules. The asynchronous calls send and return to the event
/// loop; the reply resumes the caller. The synchronous ones wait on the socket (set-up work).
/// Lives on one thread, where it was made.
class PgSource final : public DataSource {
public:
    /// Connects and reads the table's schema from the server's catalogue. Throws DbError naming
    /// an unreachable server, a wrong password, a missing table or key column (listing what
    /// exists), or a key column that is not an integer.
    explicit PgSource(const DataSourceSpec &spec);
    ~PgSource() override;

    SourceCapabilities capabilities() const override;
    const TableSchema &schema() const override { return m_schema; }
    const Projection &allColumns() const override { return m_all; }

    std::optional<QByteArray> readRow(std::int64_t key, const Projection &projection) override;
    bool consumeRow(std::int64_t key, const Projection &projection) override;
    std::vector<std::optional<QByteArray>> readRows(
        const std::vector<std::int64_t> &keys, const Projection &projection) override;
    std::optional<std::int64_t> rewriteRow(std::int64_t key, const Projection &projection) override;

    QCoro::Task<LoadResult> load(std::int64_t key, const Projection *projection, bool keep) override;
    QCoro::Task<LoadResult> rewrite(std::int64_t key, const Projection *projection) override;
    void loadRows(const std::vector<std::int64_t> &keys, const Projection *projection, const RowsDone &done) override;
    void prepareFor(int statements) override;

    void setFailureRate(double rate, std::uint64_t seed) override { m_faults.setFailureRate(rate, seed); }
    void setStall(std::chrono::nanoseconds stall, std::int64_t every) override { m_faults.setStall(stall, every); }
    void setInterrupt(const std::atomic<bool> *stop) override { m_faults.setInterrupt(stop); }
    DataSourceStats stats() const override;

    /// Connections open now (the primary's and the replicas').
    int connectionCount() const;
    /// How far each replica is behind the primary, and its own statement count. Blocking.
    std::vector<ReplicaLag> replicaLag() override;
    QString serverVersion() const override;
    std::optional<std::uint64_t> statementsCountedByServer() override;
    void abandonInFlight() override;
    void setRecentWrites(const std::function<bool(std::int64_t key)> &wroteRecently) override
    {
        m_wroteRecently = wroteRecently;
    }

    /// Most keys in one batched read (`= ANY($1)`, one bound array).
    static constexpr int kMaxBatch = 500;

private:
    std::optional<std::int64_t> writtenVersion(const pg_result *r) const;
    struct Statements {
        QByteArray pointName, pointSql;
        QByteArray batchName, batchSql;
        QByteArray rewriteName, rewriteSql;
    };
    const Statements &statementsFor(const Projection &projection);
    struct Pool {
        QString url; ///< the primary (the first pool) or a replica
        std::vector<std::unique_ptr<PgConnection>> connections;
        std::vector<std::int64_t> reconnectAt; // per connection: steady nanos of the next try
    };
    /// A connection for a statement: a write on the primary, a read on the next replica (the
    /// primary when there are none); the least loaded there, one more when all are at depth.
    PgConnection *pick(bool write);
    /// A read of \a keys: on the primary when one of them was written recently, else as pick(false).
    PgConnection *pickForRead(const std::int64_t *keys, std::size_t count);
    /// Reconnects the broken connections of \a pool whose next try is due (at most twice a second).
    void revive(Pool &pool);
    /// Opens one more connection of \a pool (read-only on the server unless writes were asked for).
    PgConnection *addConnection(Pool &pool);
    PgConnection &primary() const;
    std::optional<std::uint64_t> countedBy(PgConnection &conn);
    /// Counts a simulated failure and returns it, or nullopt when the statement may run.
    std::optional<LoadResult> simulatedFailure();
    void accountReply(bool ok, std::uint64_t bytes, std::uint64_t rows, std::int64_t nanos);
    void requireWritable() const;

    DataSourceSpec m_spec;
    std::vector<Pool> m_pools; // the primary's, then one per replica
    std::size_t m_nextReplica = 0;
    std::function<bool(std::int64_t)> m_wroteRecently;
    TableSchema m_schema;
    Projection m_all;
    std::unordered_map<ColumnSet, Statements> m_statements;
    SimulatedFaults m_faults;
    alignas(64) SingleWriterCounter m_statementCount;
    SingleWriterCounter m_bytesRead;
    SingleWriterCounter m_rowsRead;
    SingleWriterCounter m_dbNanos;
    SingleWriterCounter m_failures;
};

/// The server's facts about the spec's table (columns, rows). Throws DbError.
TableInfo pgInspectTable(const DataSourceSpec &spec);
/// Every table of the server's current schema with its columns and integer keys.
QList<TableChoice> pgListTables(const QString &url, std::chrono::milliseconds timeout);
/// The first \a limit keys of the table in key order (all when limit <= 0). Throws DataError
/// for a key that is not unique.
std::vector<std::int64_t> pgLoadKeys(const DataSourceSpec &spec, std::int64_t limit);

/// The first \a limit keys of the table ordered by \a order (column names of the table, each
/// with true for descending), then by key. Throws DbError.
std::vector<std::int64_t> pgOrderedKeys(
    const DataSourceSpec &spec, const QList<QPair<QString, bool>> &order, std::int64_t limit);

/// checkConnection() of a server and its replicas.
ConnectionCheck pgCheckConnection(const DataSourceSpec &spec);

} // namespace cachescope
