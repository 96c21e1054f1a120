#include "core/load/pgsource.h"

#include "core/db/pgconnection.h"
#include "core/db/rowcodec.h"
#include "core/load/callbackawaiter.h"

#include <libpq-fe.h>

#include <QHash>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {
// A replica's lag in seconds: since the last transaction it replayed, 0 when it has replayed all it
// was sent (and nothing was written since). Read by the run's lag measurement and by Test.
constexpr char kReplayLagSeconds[] = "coalesce(CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
                                     "ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END, 0)::float8";
} // namespace

namespace {
// Type OIDs of pg_type (fixed in every server).
constexpr Oid kBool = 16;
constexpr Oid kBytea = 17;
constexpr Oid kInt8 = 20;
constexpr Oid kInt2 = 21;
constexpr Oid kInt4 = 23;
constexpr Oid kOid = 26;
constexpr Oid kFloat4 = 700;
constexpr Oid kFloat8 = 701;
constexpr Oid kNumeric = 1700;

std::int64_t steadyNanos()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

bool isIntegerType(Oid type)
{
    return type == kInt8 || type == kInt2 || type == kInt4;
}

// `schema.table` or `table`, each part quoted by the server's rules: a name for to_regclass().
QString qualifiedName(const PgConnection &conn, const QString &table)
{
    const qsizetype dot = table.indexOf(u'.');
    if (dot > 0 && dot < table.size() - 1)
        return conn.quoteIdentifier(table.left(dot)) + u'.' + conn.quoteIdentifier(table.mid(dot + 1));
    return conn.quoteIdentifier(table);
}

QStringList tablesOf(PgConnection &conn)
{
    PgConnection::Result r = conn.execOrThrow(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1");
    QStringList names;
    for (int i = 0; i < PQntuples(r.get()); ++i)
        names << QString::fromUtf8(PQgetvalue(r.get(), i, 0));
    return names;
}

// Columns of \a table: names, declared types and type OIDs, in table order.
struct PgColumns {
    QStringList names;
    QStringList types;
    std::vector<Oid> oids;
};

PgColumns columnsOf(PgConnection &conn, const QString &table)
{
    PgConnection::Result r = conn.execOrThrow(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.atttypid FROM pg_attribute a "
        "WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
        {qualifiedName(conn, table).toUtf8()});
    PgColumns columns;
    for (int i = 0; i < PQntuples(r.get()); ++i) {
        columns.names << QString::fromUtf8(PQgetvalue(r.get(), i, 0));
        columns.types << QString::fromUtf8(PQgetvalue(r.get(), i, 1));
        columns.oids.push_back(Oid(std::strtoul(PQgetvalue(r.get(), i, 2), nullptr, 10)));
    }
    return columns;
}

TableSchema readSchema(PgConnection &conn, const QString &table, const QString &keyColumn)
{
    const PgColumns columns = columnsOf(conn, table);
    if (columns.names.isEmpty()) {
        const QStringList tables = tablesOf(conn);
        throw DbError(PgCode::kUsage,
            u"table '"_s + table + u"' does not exist on '"_s + conn.maskedUrl() + u"' (tables: "_s
                + (tables.isEmpty() ? u"none"_s : tables.join(u", "_s)) + u')');
    }
    TableSchema schema;
    schema.table = table;
    schema.keyColumn = keyColumn;
    schema.columns = columns.names;
    schema.types = columns.types;
    schema.keyIndex = int(columns.names.indexOf(keyColumn));
    if (schema.keyIndex < 0) {
        throw DbError(PgCode::kUsage,
            u"key column '"_s + keyColumn + u"' is not a column of table '"_s + table + u"' (columns: "_s
                + columns.names.join(u", "_s) + u')');
    }
    if (!isIntegerType(columns.oids[std::size_t(schema.keyIndex)])) {
        throw DataError(PgCode::kUsage,
            u"key column '%1' of table '%2' is of type %3; CacheScope needs an integer key (smallint, integer or "
            "bigint)"_s.arg(keyColumn, table, columns.types[schema.keyIndex]));
    }
    return schema;
}

// A text-format value of a result as a RowCodec field.
RowCodec::Field fieldOf(const pg_result *r, int row, int column, QByteArray &scratch)
{
    RowCodec::Field f;
    if (PQgetisnull(r, row, column))
        return f;
    const char *text = PQgetvalue(r, row, column);
    const int size = PQgetlength(r, row, column);
    switch (PQftype(r, column)) {
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid:
        f.type = RowCodec::Field::Type::Integer;
        std::from_chars(text, text + size, f.integer);
        return f;
    case kBool:
        f.type = RowCodec::Field::Type::Integer;
        f.integer = text[0] == 't' ? 1 : 0;
        return f;
    case kFloat4:
    case kFloat8:
    case kNumeric:
        f.type = RowCodec::Field::Type::Real;
        f.real = std::strtod(text, nullptr);
        return f;
    case kBytea: {
        std::size_t length = 0;
        unsigned char *raw = PQunescapeBytea(reinterpret_cast<const unsigned char *>(text), &length);
        scratch = QByteArray(reinterpret_cast<const char *>(raw), qsizetype(length));
        PQfreemem(raw);
        f.type = RowCodec::Field::Type::Blob;
        f.data = scratch.constData();
        f.size = std::uint32_t(scratch.size());
        return f;
    }
    default:
        f.type = RowCodec::Field::Type::Text;
        f.data = text;
        f.size = std::uint32_t(size);
        return f;
    }
}

// Row \a row of \a r encoded as the cache keeps it; \a bytes receives what the server sent.
QByteArray encodeRow(const pg_result *r, int row, const ColumnSet &columns, std::uint64_t &bytes)
{
    const int count = PQnfields(r);
    std::vector<RowCodec::Field> fields(static_cast<std::size_t>(count));
    std::vector<QByteArray> scratch(static_cast<std::size_t>(count));
    for (int c = 0; c < count; ++c) {
        fields[std::size_t(c)] = fieldOf(r, row, c, scratch[std::size_t(c)]);
        bytes += std::uint64_t(PQgetlength(r, row, c));
    }
    return RowCodec::encodeFields(columns, fields.data(), count);
}

std::uint64_t bytesOf(const pg_result *r, int row)
{
    std::uint64_t bytes = 0;
    for (int c = 0; c < PQnfields(r); ++c)
        bytes += std::uint64_t(PQgetlength(r, row, c));
    return bytes;
}

QByteArray keyArray(const std::vector<std::int64_t> &keys)
{
    QByteArray text;
    text.reserve(qsizetype(keys.size()) * 8 + 2);
    text += '{';
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (i > 0)
            text += ',';
        text += QByteArray::number(qint64(keys[i]));
    }
    text += '}';
    return text;
}

// Sends one statement on \a conn; awaiting it gives the reply.
using SendAwaiter = CallbackAwaiter<PgConnection::Reply>;
SendAwaiter::Start sendOn(
    PgConnection *conn, const QByteArray &name, const QByteArray &sql, std::vector<QByteArray> params)
{
    return [conn, &name, &sql, params = std::move(params)](
               SendAwaiter::Completion done) { conn->send(name, sql, params, std::move(done)); };
}
} // namespace

PgSource::PgSource(const DataSourceSpec &spec)
    : m_spec(spec)
{
    m_pools.push_back(Pool {spec.url, {}, {}});
    for (const QString &replica : spec.replicas)
        m_pools.push_back(Pool {replica, {}, {}});
    addConnection(m_pools.front());
    m_schema = readSchema(*m_pools.front().connections.front(), spec.table, spec.keyColumn);
    m_all = Projection::all(m_schema);
    if (!spec.versionColumn.isEmpty())
        versionColumnIndex(m_schema, spec.versionColumn); // throws naming a missing or non-integer column
    for (std::size_t i = 1; i < m_pools.size(); ++i) {
        // A replica must hold the same table: its reads answer for the primary's.
        PgConnection &replica = *addConnection(m_pools[i]);
        const TableSchema there = readSchema(replica, spec.table, spec.keyColumn);
        if (there.columns != m_schema.columns) {
            throw DbError(PgCode::kUsage,
                u"replica '%1' has table '%2' with other columns (%3) than the primary (%4)"_s.arg(
                    replica.maskedUrl(), spec.table, there.columns.join(u", "_s), m_schema.columns.join(u", "_s)));
        }
    }
}

PgSource::~PgSource() = default;

SourceCapabilities PgSource::capabilities() const
{
    SourceCapabilities caps;
    caps.kind = u"postgresql"_s;
    caps.runsInline = false;
    caps.writable = m_spec.writable;
    caps.maxBindParameters = 65535;
    caps.maxBatch = kMaxBatch;
    return caps;
}

QString PgSource::serverVersion() const
{
    return primary().serverVersion();
}

std::optional<std::uint64_t> PgSource::statementsCountedByServer()
{
    // Every server's own count: the primary's and each replica's (each keeps its own).
    std::uint64_t total = 0;
    for (const Pool &pool : m_pools) {
        const std::optional<std::uint64_t> n = countedBy(*pool.connections.front());
        if (!n)
            return std::nullopt;
        total += *n;
    }
    return total;
}

std::optional<std::uint64_t> PgSource::countedBy(PgConnection &conn)
{
    PgConnection::Reply installed = conn.execBlocking("SELECT to_regclass('pg_stat_statements') IS NOT NULL");
    if (!installed.ok() || QByteArray(PQgetvalue(installed.result.get(), 0, 0)) != "t")
        return std::nullopt;
    // The texts of this source's statements (statementsFor()), whatever the projection.
    const auto like = [](const QString &text) {
        QString escaped = text;
        escaped.replace(u"\\"_s, u"\\\\"_s).replace(u"%"_s, u"\\%"_s).replace(u"_"_s, u"\\_"_s);
        return escaped;
    };
    const QString table = like(qualifiedName(conn, m_schema.table));
    const QString key = like(conn.quoteIdentifier(m_schema.keyColumn));
    PgConnection::Reply counted
        = conn.execBlocking("SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements "
                            "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                            "AND (query LIKE $1 ESCAPE '\\' OR query LIKE $2 ESCAPE '\\' OR query LIKE $3 ESCAPE '\\')",
            {(u"SELECT % FROM "_s + table + u" WHERE "_s + key + u" = $1"_s).toUtf8(),
                (u"SELECT % FROM "_s + table + u" WHERE "_s + key + u" = ANY($1::bigint[])"_s).toUtf8(),
                (u"UPDATE "_s + table + u" SET % WHERE "_s + key + u" = $1%"_s).toUtf8()}); // RETURNING too
    if (!counted.ok())
        return std::nullopt; // not allowed to read it (pg_read_all_stats), say
    return std::uint64_t(QByteArray(PQgetvalue(counted.result.get(), 0, 0)).toULongLong());
}

const PgSource::Statements &PgSource::statementsFor(const Projection &projection)
{
    auto it = m_statements.find(projection.columns());
    if (it != m_statements.end())
        return it->second;
    if (projection.table() != m_schema.table) {
        throw DbError(PgCode::kUsage,
            u"a projection of table '"_s + projection.table() + u"' was used on table '"_s + m_schema.table + u'\'');
    }
    const PgConnection &conn = primary();
    QStringList select;
    QStringList assignments;
    const QStringList names = projection.fieldNames();
    for (qsizetype i = 0; i < names.size(); ++i) {
        const QString c = conn.quoteIdentifier(names[i]);
        select << c;
        if (int(i) != projection.keyPosition())
            assignments << c + u" = "_s + c;
    }
    const QString table = qualifiedName(conn, m_schema.table);
    const QString key = conn.quoteIdentifier(m_schema.keyColumn);
    if (assignments.isEmpty())
        assignments << key + u" = "_s + key;
    Statements s;
    const QByteArray id = QByteArray::number(qulonglong(m_statements.size()));
    s.pointName = "cachescope_point_" + id;
    s.pointSql = (u"SELECT "_s + select.join(u", "_s) + u" FROM "_s + table + u" WHERE "_s + key + u" = $1"_s).toUtf8();
    s.batchName = "cachescope_batch_" + id;
    s.batchSql
        = (u"SELECT "_s + select.join(u", "_s) + u" FROM "_s + table + u" WHERE "_s + key + u" = ANY($1::bigint[])"_s)
              .toUtf8();
    s.rewriteName = "cachescope_rewrite_" + id;
    QString returning;
    if (!m_spec.versionColumn.isEmpty()) {
        // The write bumps the row's version and says which it committed (stale reads are judged by it).
        const QString v = conn.quoteIdentifier(m_spec.versionColumn);
        assignments = QStringList {v + u" = "_s + v + u" + 1"_s};
        returning = u" RETURNING "_s + v;
    }
    s.rewriteSql
        = (u"UPDATE "_s + table + u" SET "_s + assignments.join(u", "_s) + u" WHERE "_s + key + u" = $1"_s + returning)
              .toUtf8();
    return m_statements.emplace(projection.columns(), std::move(s)).first->second;
}

void PgSource::prepareFor(int statements)
{
    const int depth = std::max(1, m_spec.pipelineDepth);
    const int readPools = std::max<int>(1, int(m_pools.size()) - 1);
    for (std::size_t i = 0; i < m_pools.size(); ++i) {
        // With replicas, the reads spread over them and the primary takes the writes.
        const bool readsHere = m_pools.size() == 1 || i > 0;
        int wanted = readsHere ? (std::max(1, statements) + depth * readPools - 1) / (depth * readPools)
                               : (m_spec.writable ? (std::max(1, statements) + depth - 1) / depth : 1);
        if (m_spec.connections > 0)
            wanted = std::min(wanted, m_spec.connections);
        while (int(m_pools[i].connections.size()) < wanted)
            addConnection(m_pools[i]);
    }
}

int PgSource::connectionCount() const
{
    int n = 0;
    for (const Pool &pool : m_pools)
        n += int(pool.connections.size());
    return n;
}

PgConnection &PgSource::primary() const
{
    return *m_pools.front().connections.front();
}

PgConnection *PgSource::addConnection(Pool &pool)
{
    auto conn = std::make_unique<PgConnection>(pool.url, m_spec.timeout);
    if (!m_spec.writable) {
        // Nothing is written unless the scenario asks for writes: the server enforces it too.
        conn->execOrThrow("SET default_transaction_read_only = on");
    }
    pool.connections.push_back(std::move(conn));
    pool.reconnectAt.push_back(0);
    return pool.connections.back().get();
}

PgConnection *PgSource::pickForRead(const std::int64_t *keys, std::size_t count)
{
    if (m_wroteRecently && m_pools.size() > 1) {
        for (std::size_t i = 0; i < count; ++i) {
            if (m_wroteRecently(keys[i])) {
                return pick(true); // a replica may not have replayed that write yet: the primary answers
            }
        }
    }
    return pick(false);
}

void PgSource::abandonInFlight()
{
    for (Pool &pool : m_pools) {
        for (const std::unique_ptr<PgConnection> &c : pool.connections)
            c->abandon(); // the next statement on it reconnects (PgSource::revive)
    }
}

void PgSource::revive(Pool &pool)
{
    const std::int64_t now = steadyNanos();
    for (std::size_t i = 0; i < pool.connections.size(); ++i) {
        PgConnection *c = pool.connections[i].get();
        if (!c->isBroken() || now < pool.reconnectAt[i])
            continue;
        // The server went away or stopped answering: try again, at most twice a second.
        pool.reconnectAt[i] = now + 500'000'000;
        try {
            c->reconnect();
            if (!m_spec.writable)
                c->execOrThrow("SET default_transaction_read_only = on");
        } catch (const DbError &) {
            // Still unreachable: its statements fail at once (counted) until a later try.
        }
    }
}

PgConnection *PgSource::pick(bool write)
{
    // Writes go to the primary; reads to the replicas, when there are any: in turn, or to the one
    // with the fewest statements in flight (one that is down, all of whose connections are
    // broken, only when every replica is).
    Pool *chosen = &m_pools.front();
    if (!write && m_pools.size() > 1) {
        const std::size_t replicas = m_pools.size() - 1;
        const std::size_t first = m_nextReplica++ % replicas;
        chosen = &m_pools[1 + first];
        if (m_spec.replicaReads == ReplicaReads::LeastLoaded) {
            // A replica that was down is tried again (at most twice a second) before the choice.
            for (std::size_t k = 1; k < m_pools.size(); ++k)
                revive(m_pools[k]);
            const auto load = [](const Pool &p) {
                int inFlight = 0;
                bool up = false;
                for (const auto &c : p.connections) {
                    inFlight += c->inFlight();
                    up = up || !c->isBroken();
                }
                return std::pair {!up, inFlight};
            };
            auto best = load(*chosen);
            for (std::size_t k = 1; k < replicas; ++k) {
                Pool &candidate = m_pools[1 + (first + k) % replicas];
                if (const auto l = load(candidate); l < best) {
                    best = l;
                    chosen = &candidate;
                }
            }
        }
    }
    Pool &pool = *chosen;
    // Every pool holds the connection the constructor opened.
    PgConnection *best = pool.connections.front().get();
    if (!best)
        throw DbError(PgCode::kUsage, u"a PostgreSQL source without a connection"_s);
    revive(pool);
    for (const std::unique_ptr<PgConnection> &connection : pool.connections) {
        PgConnection *c = connection.get();
        if ((best->isBroken() && !c->isBroken())
            || (c->isBroken() == best->isBroken() && c->inFlight() < best->inFlight()))
            best = c;
    }
    const int depth = std::max(1, m_spec.pipelineDepth);
    if ((best->inFlight() >= depth || best->isBroken())
        && (m_spec.connections <= 0 || int(pool.connections.size()) < m_spec.connections)) {
        try {
            best = addConnection(pool);
        } catch (const DbError &) {
            // The server takes no more connections (max_connections): share the ones there are.
        }
    }
    return best;
}

std::vector<ReplicaLag> PgSource::replicaLag()
{
    std::vector<ReplicaLag> lags;
    if (m_pools.size() < 2)
        return lags;
    PgConnection::Reply head = primary().execBlocking("SELECT pg_current_wal_lsn()::text");
    const QByteArray primaryLsn = head.ok() ? QByteArray(PQgetvalue(head.result.get(), 0, 0)) : QByteArray();
    for (std::size_t i = 1; i < m_pools.size(); ++i) {
        ReplicaLag lag;
        PgConnection &replica = *m_pools[i].connections.front();
        lag.url = replica.maskedUrl();
        // Seconds since the last transaction it replayed (0 when it has replayed everything it
        // was sent and nothing was written since), and the WAL bytes it is behind the primary.
        PgConnection::Reply r = replica.execBlocking(QByteArray("SELECT ") + kReplayLagSeconds
                + ", coalesce(pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn()), 0)::bigint",
            {primaryLsn.isEmpty() ? QByteArray("0/0") : primaryLsn});
        if (r.ok()) {
            lag.seconds = std::strtod(PQgetvalue(r.result.get(), 0, 0), nullptr);
            lag.bytes = std::max<std::int64_t>(0, QByteArray(PQgetvalue(r.result.get(), 0, 1)).toLongLong());
            lag.statements = countedBy(replica);
        } else {
            lag.error = r.error;
        }
        lags.push_back(lag);
    }
    return lags;
}

std::optional<LoadResult> PgSource::simulatedFailure()
{
    std::uint64_t stalled = 0;
    const bool fail = m_faults.beforeStatement(stalled);
    if (stalled > 0)
        m_dbNanos.add(stalled);
    if (!fail)
        return std::nullopt;
    m_statementCount.add();
    m_failures.add();
    return LoadResult {LoadResult::Status::Failed, {}, u"simulated failure (db.failure_rate)"_s, PgCode::kRetryable};
}

void PgSource::accountReply(bool ok, std::uint64_t bytes, std::uint64_t rows, std::int64_t nanos)
{
    m_statementCount.add();
    m_bytesRead.add(bytes);
    m_rowsRead.add(rows);
    m_dbNanos.add(std::uint64_t(std::max<std::int64_t>(0, nanos)));
    if (!ok)
        m_failures.add();
}

void PgSource::requireWritable() const
{
    if (!m_spec.writable) {
        throw DbError(PgCode::kUsage,
            u"'"_s + maskPassword(m_spec.url) + u"' is open read-only: writes need a scenario that asks for them"_s);
    }
}

DataSourceStats PgSource::stats() const
{
    return {m_statementCount.load(), m_bytesRead.load(), m_rowsRead.load(), m_dbNanos.load(), m_failures.load()};
}

// ---- synchronous --------------------------------------------------------------------------

std::optional<QByteArray> PgSource::readRow(std::int64_t key, const Projection &projection)
{
    const Statements &s = statementsFor(projection);
    if (const std::optional<LoadResult> failure = simulatedFailure())
        throw DbError(failure->errorCode, failure->error);
    PgConnection::Reply reply = primary().execBlocking(s.pointSql, {QByteArray::number(qint64(key))});
    if (!reply.ok()) {
        accountReply(false, 0, 0, reply.nanos);
        throw DbError(reply.code, reply.error);
    }
    std::uint64_t bytes = 0;
    std::optional<QByteArray> row;
    if (PQntuples(reply.result.get()) > 0)
        row = encodeRow(reply.result.get(), 0, projection.columns(), bytes);
    accountReply(true, bytes, row ? 1 : 0, reply.nanos);
    return row;
}

bool PgSource::consumeRow(std::int64_t key, const Projection &projection)
{
    return readRow(key, projection).has_value();
}

std::vector<std::optional<QByteArray>> PgSource::readRows(
    const std::vector<std::int64_t> &keys, const Projection &projection)
{
    std::vector<std::int64_t> distinct;
    QHash<std::int64_t, std::size_t> slotOf;
    for (const std::int64_t key : keys) {
        if (!slotOf.contains(key)) {
            slotOf.insert(key, distinct.size());
            distinct.push_back(key);
        }
    }
    const Statements &s = statementsFor(projection);
    std::vector<std::optional<QByteArray>> found(distinct.size());
    for (std::size_t first = 0; first < distinct.size(); first += kMaxBatch) {
        const std::vector<std::int64_t> part(distinct.begin() + std::ptrdiff_t(first),
            distinct.begin() + std::ptrdiff_t(std::min(distinct.size(), first + kMaxBatch)));
        if (const std::optional<LoadResult> failure = simulatedFailure())
            throw DbError(failure->errorCode, failure->error);
        PgConnection::Reply reply = primary().execBlocking(s.batchSql, {keyArray(part)});
        if (!reply.ok()) {
            accountReply(false, 0, 0, reply.nanos);
            throw DbError(reply.code, reply.error);
        }
        const pg_result *r = reply.result.get();
        std::uint64_t bytes = 0;
        const int keyPosition = projection.keyPosition();
        for (int i = 0; i < PQntuples(r); ++i) {
            QByteArray row = encodeRow(r, i, projection.columns(), bytes);
            std::int64_t key = 0;
            const char *text = PQgetvalue(r, i, keyPosition);
            std::from_chars(text, text + PQgetlength(r, i, keyPosition), key);
            if (const auto it = slotOf.constFind(key); it != slotOf.constEnd())
                found[*it] = std::move(row);
        }
        accountReply(true, bytes, std::uint64_t(PQntuples(r)), reply.nanos);
    }
    std::vector<std::optional<QByteArray>> answers;
    answers.reserve(keys.size());
    for (const std::int64_t key : keys)
        answers.push_back(found[slotOf.value(key)]);
    return answers;
}

std::optional<std::int64_t> PgSource::rewriteRow(std::int64_t key, const Projection &projection)
{
    requireWritable();
    const Statements &s = statementsFor(projection);
    if (const std::optional<LoadResult> failure = simulatedFailure())
        throw DbError(failure->errorCode, failure->error);
    PgConnection::Reply reply = primary().execBlocking(s.rewriteSql, {QByteArray::number(qint64(key))});
    accountReply(reply.ok(), 0, 0, reply.nanos);
    if (!reply.ok())
        throw DbError(reply.code, reply.error);
    return writtenVersion(reply.result.get());
}

// What an UPDATE's reply says: no row (nullopt), the version it returned, or 0 without a version column.
std::optional<std::int64_t> PgSource::writtenVersion(const pg_result *r) const
{
    if (m_spec.versionColumn.isEmpty()) {
        if (QByteArray(PQcmdTuples(const_cast<pg_result *>(r))).toLongLong() > 0)
            return 0;
        return std::nullopt;
    }
    if (PQntuples(r) == 0)
        return std::nullopt;
    return QByteArray(PQgetvalue(r, 0, 0)).toLongLong();
}

// ---- asynchronous -------------------------------------------------------------------------

QCoro::Task<LoadResult> PgSource::load(std::int64_t key, const Projection *projection, bool keep)
{
    const Statements *s = nullptr;
    try {
        s = &statementsFor(*projection);
    } catch (const DbError &e) {
        co_return LoadResult {LoadResult::Status::Failed, {}, e.message(), e.code()};
    }
    if (std::optional<LoadResult> failure = simulatedFailure())
        co_return std::move(*failure);
    SendAwaiter op(sendOn(pickForRead(&key, 1), s->pointName, s->pointSql, {QByteArray::number(qint64(key))}));
    PgConnection::Reply reply = co_await std::move(op); // QCoro awaits a copy of an lvalue; a Reply only moves
    if (!reply.ok()) {
        accountReply(false, 0, 0, reply.nanos);
        co_return LoadResult {LoadResult::Status::Failed, {}, reply.error, reply.code};
    }
    const pg_result *r = reply.result.get();
    if (PQntuples(r) == 0) {
        accountReply(true, 0, 0, reply.nanos);
        co_return LoadResult {LoadResult::Status::NotFound, {}, {}};
    }
    std::uint64_t bytes = 0;
    QByteArray row;
    if (keep)
        row = encodeRow(r, 0, projection->columns(), bytes);
    else
        bytes = bytesOf(r, 0); // the baseline: every column came over the wire, none is kept
    accountReply(true, bytes, 1, reply.nanos);
    co_return LoadResult {LoadResult::Status::Found, std::move(row), {}};
}

QCoro::Task<LoadResult> PgSource::rewrite(std::int64_t key, const Projection *projection)
{
    const Statements *s = nullptr;
    try {
        requireWritable();
        s = &statementsFor(*projection);
    } catch (const DbError &e) {
        co_return LoadResult {LoadResult::Status::Failed, {}, e.message(), e.code()};
    }
    if (std::optional<LoadResult> failure = simulatedFailure())
        co_return std::move(*failure);
    SendAwaiter op(sendOn(pick(true), s->rewriteName, s->rewriteSql, {QByteArray::number(qint64(key))}));
    PgConnection::Reply reply = co_await std::move(op); // QCoro awaits a copy of an lvalue; a Reply only moves
    accountReply(reply.ok(), 0, 0, reply.nanos);
    if (!reply.ok())
        co_return LoadResult {LoadResult::Status::Failed, {}, reply.error, reply.code};
    const std::optional<std::int64_t> version = writtenVersion(reply.result.get());
    LoadResult result {version ? LoadResult::Status::Found : LoadResult::Status::NotFound, {}, {}};
    result.version = version.value_or(0);
    co_return result;
}

void PgSource::loadRows(const std::vector<std::int64_t> &keys, const Projection *projection, const RowsDone &done)
{
    RowsResult failed;
    const Statements *s = nullptr;
    try {
        s = &statementsFor(*projection);
    } catch (const DbError &e) {
        failed.error = e.message();
        failed.errorCode = e.code();
        done(failed);
        return;
    }
    if (const std::optional<LoadResult> failure = simulatedFailure()) {
        failed.error = failure->error;
        failed.errorCode = failure->errorCode;
        done(failed);
        return;
    }
    const ColumnSet columns = projection->columns();
    const int keyPosition = projection->keyPosition();
    pickForRead(keys.data(), keys.size())
        ->send(s->batchName, s->batchSql, {keyArray(keys)},
            [this, keys, columns, keyPosition, done](PgConnection::Reply &reply) {
                RowsResult result;
                if (!reply.ok()) {
                    accountReply(false, 0, 0, reply.nanos);
                    result.error = reply.error;
                    result.errorCode = reply.code;
                    done(result);
                    return;
                }
                QHash<std::int64_t, std::size_t> slotOf; // a key's first position
                for (std::size_t i = 0; i < keys.size(); ++i)
                    if (!slotOf.contains(keys[i]))
                        slotOf.insert(keys[i], i);
                result.rows.resize(keys.size());
                const pg_result *r = reply.result.get();
                std::uint64_t bytes = 0;
                for (int i = 0; i < PQntuples(r); ++i) {
                    QByteArray row = encodeRow(r, i, columns, bytes);
                    std::int64_t key = 0;
                    const char *text = PQgetvalue(r, i, keyPosition);
                    std::from_chars(text, text + PQgetlength(r, i, keyPosition), key);
                    if (const auto it = slotOf.constFind(key); it != slotOf.constEnd())
                        result.rows[*it] = std::move(row);
                }
                for (std::size_t i = 0; i < keys.size(); ++i) {
                    if (const std::size_t first = slotOf.value(keys[i]); first != i)
                        result.rows[i] = result.rows[first]; // a key given twice is answered alike
                }
                accountReply(true, bytes, std::uint64_t(PQntuples(r)), reply.nanos);
                done(result);
            });
}

// ---- catalogue ----------------------------------------------------------------------------

TableInfo pgInspectTable(const DataSourceSpec &spec)
{
    PgConnection conn(spec.url, spec.timeout);
    TableInfo info;
    const TableSchema schema = readSchema(conn, spec.table, spec.keyColumn);
    info.columns = schema.columns;
    info.types = schema.types;
    PgConnection::Result r = conn.execOrThrow((u"SELECT count(*) FROM "_s + qualifiedName(conn, spec.table)).toUtf8());
    info.rowCount = QByteArray(PQgetvalue(r.get(), 0, 0)).toLongLong();
    return info;
}

QList<TableChoice> pgListTables(const QString &url, std::chrono::milliseconds timeout)
{
    PgConnection conn(url, timeout);
    QList<TableChoice> choices;
    for (const QString &table : tablesOf(conn)) {
        TableChoice t;
        t.name = table;
        const PgColumns columns = columnsOf(conn, table);
        t.columns = columns.names;
        // The primary key first when it is one integer column, then the other integer columns.
        PgConnection::Result pk
            = conn.execOrThrow("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND "
                               "a.attnum = i.indkey[0] "
                               "WHERE i.indrelid = to_regclass($1) AND i.indisprimary AND i.indnatts = 1",
                {qualifiedName(conn, table).toUtf8()});
        const QString primary = PQntuples(pk.get()) > 0 ? QString::fromUtf8(PQgetvalue(pk.get(), 0, 0)) : QString();
        for (qsizetype c = 0; c < columns.names.size(); ++c) {
            if (isIntegerType(columns.oids[std::size_t(c)]))
                t.keys << columns.names[c];
        }
        if (!primary.isEmpty() && t.keys.contains(primary)) {
            t.keys.removeAll(primary);
            t.keys.prepend(primary);
        }
        if (t.keys.isEmpty())
            t.noKeyReason = u"no integer column (smallint, integer, bigint)"_s;
        choices << t;
    }
    return choices;
}

std::vector<std::int64_t> pgLoadKeys(const DataSourceSpec &spec, std::int64_t limit)
{
    PgConnection conn(spec.url, spec.timeout);
    const TableSchema schema = readSchema(conn, spec.table, spec.keyColumn);
    const QString key = conn.quoteIdentifier(schema.keyColumn);
    PgConnection::Result r
        = conn.execOrThrow((u"SELECT "_s + key + u" FROM "_s + qualifiedName(conn, spec.table) + u" WHERE "_s + key
                               + u" IS NOT NULL ORDER BY "_s + key + (limit > 0 ? u" LIMIT $1"_s : QString()))
                               .toUtf8(),
            limit > 0 ? std::vector<QByteArray> {QByteArray::number(qint64(limit))} : std::vector<QByteArray> {});
    std::vector<std::int64_t> keys;
    keys.reserve(std::size_t(PQntuples(r.get())));
    for (int i = 0; i < PQntuples(r.get()); ++i) {
        const std::int64_t value = QByteArray(PQgetvalue(r.get(), i, 0)).toLongLong();
        if (!keys.empty() && keys.back() == value) {
            throw DataError(PgCode::kUsage,
                u"key column '%1' of table '%2' is not unique (key %3 is on more than one row); CacheScope needs "
                "one row per key: choose a unique column as db.key"_s.arg(spec.keyColumn, spec.table)
                    .arg(value));
        }
        keys.push_back(value);
    }
    return keys;
}

std::vector<std::int64_t> pgOrderedKeys(
    const DataSourceSpec &spec, const QList<QPair<QString, bool>> &order, std::int64_t limit)
{
    PgConnection conn(spec.url, spec.timeout);
    const TableSchema schema = readSchema(conn, spec.table, spec.keyColumn);
    QStringList terms;
    for (const auto &[column, descending] : order) {
        if (!schema.columns.contains(column))
            throw DbError(PgCode::kUsage, u"'%1' is not a column of '%2'"_s.arg(column, spec.table));
        terms << conn.quoteIdentifier(column) + (descending ? u" DESC"_s : u" ASC"_s);
    }
    const QString key = conn.quoteIdentifier(schema.keyColumn);
    terms << key; // ties come out the same way every time
    PgConnection::Result r = conn.execOrThrow((u"SELECT "_s + key + u" FROM "_s + qualifiedName(conn, spec.table)
                                                  + u" ORDER BY "_s + terms.join(u", "_s) + u" LIMIT $1"_s)
                                                  .toUtf8(),
        {QByteArray::number(qint64(std::max<std::int64_t>(0, limit)))});
    std::vector<std::int64_t> keys;
    keys.reserve(std::size_t(PQntuples(r.get())));
    for (int i = 0; i < PQntuples(r.get()); ++i)
        keys.push_back(QByteArray(PQgetvalue(r.get(), i, 0)).toLongLong());
    return keys;
}

ConnectionCheck pgCheckConnection(const DataSourceSpec &spec)
{
    ConnectionCheck check;
    try {
        PgConnection conn(spec.url, spec.timeout);
        check.server = u"PostgreSQL "_s + conn.serverVersion();
        check.tables = int(tablesOf(conn).size());
    } catch (const std::exception &error) {
        check.error = QString::fromUtf8(error.what());
        return check;
    }
    for (const QString &url : spec.replicas) {
        ConnectionCheck::Replica replica;
        replica.url = maskPassword(url);
        try {
            PgConnection conn(url, spec.timeout);
            replica.server = u"PostgreSQL "_s + conn.serverVersion();
            PgConnection::Result r = conn.execOrThrow(QByteArray("SELECT pg_is_in_recovery(), ") + kReplayLagSeconds);
            replica.inRecovery = QByteArray(PQgetvalue(r.get(), 0, 0)) == "t";
            replica.lagSeconds = std::strtod(PQgetvalue(r.get(), 0, 1), nullptr);
        } catch (const std::exception &error) {
            replica.error = QString::fromUtf8(error.what());
        }
        check.replicas.push_back(replica);
    }
    return check;
}

} // namespace cachescope
