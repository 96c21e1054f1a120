#include "core/load/datasource.h"

#include "core/db/pgconnection.h"
#include "core/load/pgsource.h"

#include "core/db/rowcodec.h"
#include "core/metrics/tickclock.h"

#include <sqlite3.h>

#include <QFileInfo>

#include <algorithm>
#include <chrono>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {
Database::OpenMode modeFor(const DataSourceSpec &spec)
{
    return spec.writable ? Database::OpenMode::ReadWrite : Database::OpenMode::ReadOnly;
}

Database openChecked(const DataSourceSpec &spec)
{
    if (!QFileInfo::exists(spec.path))
        throw DbError(SQLITE_CANTOPEN, u"database file '"_s + spec.path + u"' does not exist"_s);
    return Database(spec.path, modeFor(spec));
}
} // namespace

DataSourceStats &DataSourceStats::operator+=(const DataSourceStats &other)
{
    statements += other.statements;
    bytesRead += other.bytesRead;
    rowsRead += other.rowsRead;
    dbNanos += other.dbNanos;
    failures += other.failures;
    return *this;
}

DataSourceStats DataSourceStats::operator-(const DataSourceStats &other) const
{
    return {statements - other.statements, bytesRead - other.bytesRead, rowsRead - other.rowsRead,
        dbNanos - other.dbNanos, failures - other.failures};
}

QString DataSourceSpec::displayName() const
{
    return isServer() ? maskPassword(url) : path;
}

QString DataSourceSpec::maskUrl(const QString &url)
{
    return maskPassword(url);
}

std::unique_ptr<DataSource> openDataSource(const DataSourceSpec &spec)
{
    if (spec.isServer())
        return std::make_unique<PgSource>(spec);
    return std::make_unique<DataSourceConnection>(spec);
}

TableInfo inspectTable(const DataSourceSpec &spec)
{
    if (spec.isServer())
        return pgInspectTable(spec);
    Database db = openChecked(spec);
    TableInfo info;
    const TableSchema schema = TableSchema::read(db, spec.table, spec.keyColumn);
    info.columns = schema.columns;
    info.types = schema.types;
    Statement count = db.prepare(u"SELECT count(*) FROM "_s + Database::quoteIdentifier(spec.table));
    if (count.step())
        info.rowCount = count.columnInt64(0);
    return info;
}

QList<TableChoice> listTables(const QString &path)
{
    DataSourceSpec spec;
    spec.path = path;
    Database db = openChecked(spec);
    return listTables(db);
}

QList<TableChoice> listTables(const DataSourceSpec &spec)
{
    return spec.isServer() ? pgListTables(spec.url, spec.timeout) : listTables(spec.path);
}

ConnectionCheck checkConnection(const DataSourceSpec &spec)
{
    if (spec.isServer())
        return pgCheckConnection(spec);
    ConnectionCheck check;
    try {
        Database db = openChecked(spec);
        check.server = u"SQLite "_s + QString::fromUtf8(sqlite3_libversion());
        check.tables = int(listTables(db).size());
    } catch (const std::exception &error) {
        check.error = QString::fromUtf8(error.what());
    }
    return check;
}

Projection resolveProjection(const DataSourceSpec &spec, const QString &fields)
{
    if (spec.isServer())
        return Projection::parse(PgSource(spec).schema(), fields);
    Database db = openChecked(spec);
    return Projection::parse(TableSchema::read(db, spec.table, spec.keyColumn), fields);
}

std::vector<std::int64_t> loadKeys(const DataSourceSpec &spec, std::int64_t limit)
{
    if (spec.isServer())
        return pgLoadKeys(spec, limit);
    Database db = openChecked(spec);
    const QString key = Database::quoteIdentifier(spec.keyColumn);
    Statement stmt = db.prepare(u"SELECT "_s + key + u" FROM "_s + Database::quoteIdentifier(spec.table) + u" WHERE "_s
        + key + u" IS NOT NULL ORDER BY "_s + key + u" LIMIT ?1"_s);
    stmt.bind(1, std::int64_t(limit > 0 ? limit : -1));
    std::vector<std::int64_t> keys;
    if (limit > 0)
        keys.reserve(std::size_t(limit));
    while (stmt.step()) {
        if (stmt.columnType(0) != SQLITE_INTEGER) {
            throw DataError(SQLITE_MISMATCH,
                u"key column '"_s + spec.keyColumn + u"' of table '"_s + spec.table
                    + u"' holds a value that is not an integer ('"_s + stmt.columnText(0)
                    + u"'); CacheScope needs integer keys"_s);
        }
        const std::int64_t value = stmt.columnInt64(0);
        // Ordered by key, so a key that repeats comes twice in a row.
        if (!keys.empty() && keys.back() == value) {
            throw DataError(SQLITE_CONSTRAINT,
                u"key column '%1' of table '%2' is not unique (key %3 is on more than one row); CacheScope needs "
                "one row per key: choose a unique column as db.key"_s.arg(spec.keyColumn, spec.table)
                    .arg(value));
        }
        keys.push_back(value);
    }
    return keys;
}

SourceCapabilities DataSourceConnection::capabilities() const
{
    SourceCapabilities caps;
    caps.kind = u"sqlite"_s;
    caps.runsInline = true;
    caps.writable = m_db.openMode() != Database::OpenMode::ReadOnly;
    caps.maxBindParameters = sqlite3_limit(m_db.handle(), SQLITE_LIMIT_VARIABLE_NUMBER, -1);
    caps.maxBatch = kMaxBatch;
    return caps;
}

DataSourceConnection::DataSourceConnection(const DataSourceSpec &spec)
    : m_db(openChecked(spec))
    , m_schema(TableSchema::read(m_db, spec.table, spec.keyColumn))
    , m_all(Projection::all(m_schema))
    , m_versionIndex(spec.versionColumn.isEmpty() ? -1 : versionColumnIndex(m_schema, spec.versionColumn))
{
}

namespace {
// Statements are timed with the tick clock (the time-stamp counter where it is steady), as the
// engine times requests: two steady_clock reads cost ~0.15 µs a statement here, 1 % of a point
// read, on the path the baseline measures.
std::int64_t nanosSince(std::uint64_t startTicks)
{
    return TickClock::toNanos(TickClock::now() - startTicks);
}

void checkTable(const TableSchema &schema, const Projection &projection)
{
    if (projection.table() != schema.table) {
        throw DbError(
            -1, u"a projection of table '"_s + projection.table() + u"' was used on table '"_s + schema.table + u'\'');
    }
}
} // namespace

void DataSourceConnection::account(
    std::uint64_t statements, std::uint64_t bytes, std::uint64_t rows, std::int64_t nanos)
{
    m_statements.add(statements);
    m_bytesRead.add(bytes);
    m_rowsRead.add(rows);
    m_dbNanos.add(std::uint64_t(nanos));
}

void DataSourceConnection::accountFailure(std::uint64_t bytes, std::uint64_t rows, std::uint64_t startTicks)
{
    int code = 0;
    try {
        throw;
    } catch (const DbError &error) {
        code = error.code();
    } catch (...) {
    }
    // Interrupted because the phase ended: abandoned with its request, neither run nor failed.
    if (m_interrupt && m_interrupt->load(std::memory_order_relaxed) && isInterruption(code)) {
        m_dbNanos.add(std::uint64_t(nanosSince(startTicks)));
        return;
    }
    account(1, bytes, rows, nanosSince(startTicks));
    m_failures.add();
}

void DataSourceConnection::setFailureRate(double rate, std::uint64_t seed)
{
    m_faults.setFailureRate(rate, seed);
}

void DataSourceConnection::setStall(std::chrono::nanoseconds stall, std::int64_t every)
{
    m_faults.setStall(stall, every);
}

void DataSourceConnection::setInterrupt(const std::atomic<bool> *stop)
{
    m_interrupt = stop;
    m_faults.setInterrupt(stop);
    m_db.setInterrupt(stop);
}

void DataSourceConnection::maybeFail()
{
    std::uint64_t stalled = 0;
    const bool fail = m_faults.beforeStatement(stalled);
    if (stalled > 0)
        m_dbNanos.add(stalled); // time the database took, as seen from here
    if (fail) {
        m_statements.add();
        m_failures.add();
        throw DbError(SQLITE_IOERR, u"simulated failure (db.failure_rate)"_s);
    }
}

Statement &DataSourceConnection::pointStatement(const Projection &projection)
{
    if (m_lastPoint && projection.columns() == m_lastColumns)
        return *m_lastPoint;
    checkTable(m_schema, projection);
    auto it = m_pointReads.find(projection.columns());
    if (it == m_pointReads.end()) {
        const QString key = Database::quoteIdentifier(m_schema.keyColumn);
        Statement stmt = m_db.prepare(u"SELECT "_s + projection.selectList() + u" FROM "_s
            + Database::quoteIdentifier(m_schema.table) + u" WHERE "_s + key + u" = ?1"_s);
        it = m_pointReads.emplace(projection.columns(), std::move(stmt)).first;
    }
    m_lastColumns = projection.columns();
    m_lastPoint = &it->second;
    return it->second;
}

Statement &DataSourceConnection::batchStatement(const Projection &projection, int count)
{
    checkTable(m_schema, projection);
    auto &bySize = m_batchReads[projection.columns()];
    if (bySize.size() > 64)
        bySize.clear(); // many distinct batch sizes: keep the cache bounded
    auto it = bySize.find(count);
    if (it == bySize.end()) {
        QString placeholders;
        placeholders.reserve(qsizetype(count) * 6);
        for (int i = 1; i <= count; ++i)
            placeholders += (i > 1 ? u",?"_s : u"?"_s) + QString::number(i);
        const QString key = Database::quoteIdentifier(m_schema.keyColumn);
        Statement stmt = m_db.prepare(u"SELECT "_s + projection.selectList() + u" FROM "_s
            + Database::quoteIdentifier(m_schema.table) + u" WHERE "_s + key + u" IN ("_s + placeholders + u')');
        it = bySize.emplace(count, std::move(stmt)).first;
    }
    return it->second;
}

std::optional<QByteArray> DataSourceConnection::readRow(std::int64_t key)
{
    return readRow(key, m_all);
}

template<typename OnRow>
bool DataSourceConnection::readPoint(std::int64_t key, const Projection &projection, OnRow onRow)
{
    Statement &stmt = pointStatement(projection);
    maybeFail();
    const std::uint64_t start = TickClock::now();
    bool found = false;
    std::uint64_t bytes = 0;
    stmt.bind(1, key);
    try {
        if (stmt.step()) {
            found = true;
            bytes = onRow(stmt.handle());
        }
    } catch (...) {
        stmt.reset();
        accountFailure(0, 0, start);
        throw;
    }
    stmt.reset();
    account(1, bytes, found ? 1 : 0, nanosSince(start));
    return found;
}

std::optional<QByteArray> DataSourceConnection::readRow(std::int64_t key, const Projection &projection)
{
    std::optional<QByteArray> row;
    readPoint(key, projection, [&](sqlite3_stmt *stmt) {
        std::uint64_t bytes = 0;
        row = RowCodec::encode(stmt, projection.columns(), bytes);
        return bytes;
    });
    return row;
}

bool DataSourceConnection::consumeRow(std::int64_t key, const Projection &projection)
{
    return readPoint(key, projection, [](sqlite3_stmt *stmt) { return RowCodec::consume(stmt); });
}

std::vector<std::optional<QByteArray>> DataSourceConnection::readRows(
    const std::vector<std::int64_t> &keys, const Projection &projection)
{
    // Distinct keys, each asked for once; the answers are mapped back to every position.
    std::vector<std::int64_t> distinct;
    std::unordered_map<std::int64_t, std::size_t> slotOf;
    distinct.reserve(keys.size());
    for (std::int64_t key : keys) {
        if (slotOf.try_emplace(key, distinct.size()).second)
            distinct.push_back(key);
    }
    std::vector<std::optional<QByteArray>> found(distinct.size());
    const int keyPosition = projection.keyPosition();
    for (std::size_t first = 0; first < distinct.size(); first += kMaxBatch) {
        const int count = int(std::min<std::size_t>(kMaxBatch, distinct.size() - first));
        Statement &stmt = batchStatement(projection, count);
        maybeFail();
        const std::uint64_t start = TickClock::now();
        std::uint64_t bytes = 0;
        std::uint64_t rows = 0;
        for (int i = 0; i < count; ++i)
            stmt.bind(i + 1, distinct[first + std::size_t(i)]);
        try {
            while (stmt.step()) {
                std::uint64_t rowBytes = 0;
                QByteArray row = RowCodec::encode(stmt.handle(), projection.columns(), rowBytes);
                bytes += rowBytes;
                ++rows;
                const auto it = slotOf.find(stmt.columnInt64(keyPosition));
                if (it != slotOf.end())
                    found[it->second] = std::move(row);
            }
        } catch (...) {
            stmt.reset();
            accountFailure(bytes, rows, start);
            throw;
        }
        stmt.reset();
        account(1, bytes, rows, nanosSince(start));
    }
    std::vector<std::optional<QByteArray>> answers;
    answers.reserve(keys.size());
    for (std::int64_t key : keys)
        answers.push_back(found[slotOf[key]]);
    return answers;
}

std::optional<std::int64_t> DataSourceConnection::rewriteRow(std::int64_t key, const Projection &projection)
{
    checkTable(m_schema, projection);
    if (m_db.openMode() == Database::OpenMode::ReadOnly) {
        throw DbError(SQLITE_READONLY,
            u"'"_s + m_db.path() + u"' is open read-only: writes need a scenario that asks for them"_s);
    }
    auto it = m_rewrites.find(projection.columns());
    if (it == m_rewrites.end()) {
        QStringList assignments;
        QString returning;
        const QString keyColumn = Database::quoteIdentifier(m_schema.keyColumn);
        if (m_versionIndex >= 0) {
            const QString v = Database::quoteIdentifier(m_schema.columns[m_versionIndex]);
            assignments << v + u" = "_s + v + u" + 1"_s;
            returning = u" RETURNING "_s + v;
        } else {
            const QStringList names = projection.fieldNames();
            for (qsizetype i = 0; i < names.size(); ++i) {
                if (int(i) != projection.keyPosition()) {
                    const QString c = Database::quoteIdentifier(names[i]);
                    assignments << c + u" = "_s + c;
                }
            }
            if (assignments.isEmpty())
                assignments << keyColumn + u" = "_s + keyColumn;
        }
        Statement stmt = m_db.prepare(u"UPDATE "_s + Database::quoteIdentifier(m_schema.table) + u" SET "_s
            + assignments.join(u", "_s) + u" WHERE "_s + keyColumn + u" = ?1"_s + returning);
        it = m_rewrites.emplace(projection.columns(), std::move(stmt)).first;
    }
    Statement &stmt = it->second;
    maybeFail();
    const std::uint64_t start = TickClock::now();
    stmt.bind(1, key);
    std::optional<std::int64_t> version;
    try {
        if (m_versionIndex >= 0) {
            // RETURNING: the row comes first, the statement completes (and commits) at the next step.
            if (stmt.step())
                version = stmt.columnInt64(0);
            while (stmt.step()) { }
        } else {
            stmt.step();
            if (sqlite3_changes(m_db.handle()) > 0)
                version = 0;
        }
    } catch (...) {
        stmt.reset();
        accountFailure(0, 0, start);
        throw;
    }
    stmt.reset();
    account(1, 0, 0, nanosSince(start));
    return version;
}

bool DataSourceConnection::writeRow(std::int64_t key, const Projection &projection, const QVariantList &values)
{
    checkTable(m_schema, projection);
    const QStringList names = projection.fieldNames();
    if (values.size() != names.size()) {
        throw DbError(-1,
            u"a write of %1 values to a projection of %2 columns (%3)"_s.arg(values.size())
                .arg(names.size())
                .arg(names.join(u", "_s)));
    }
    if (m_db.openMode() == Database::OpenMode::ReadOnly) {
        throw DbError(SQLITE_READONLY,
            u"'"_s + m_db.path() + u"' is open read-only: writes need a scenario that asks for them"_s);
    }
    auto it = m_writes.find(projection.columns());
    if (it == m_writes.end()) {
        QStringList assignments;
        for (qsizetype i = 0; i < names.size(); ++i) {
            if (int(i) != projection.keyPosition())
                assignments << Database::quoteIdentifier(names[i]) + u" = ?"_s + QString::number(i + 1);
        }
        if (assignments.isEmpty())
            assignments << Database::quoteIdentifier(m_schema.keyColumn) + u" = "_s
                    + Database::quoteIdentifier(m_schema.keyColumn); // a projection of the key alone
        Statement stmt = m_db.prepare(u"UPDATE "_s + Database::quoteIdentifier(m_schema.table) + u" SET "_s
            + assignments.join(u", "_s) + u" WHERE "_s + Database::quoteIdentifier(m_schema.keyColumn) + u" = ?"_s
            + QString::number(names.size() + 1));
        it = m_writes.emplace(projection.columns(), std::move(stmt)).first;
    }
    Statement &stmt = it->second;
    maybeFail();
    const std::uint64_t start = TickClock::now();
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (int(i) == projection.keyPosition())
            continue;
        const QVariant &v = values[i];
        const int index = int(i) + 1;
        switch (v.typeId()) {
        case QMetaType::UnknownType:
            stmt.bindNull(index);
            break;
        case QMetaType::Int:
        case QMetaType::LongLong:
        case QMetaType::UInt:
        case QMetaType::Bool:
            stmt.bind(index, std::int64_t(v.toLongLong()));
            break;
        case QMetaType::Double:
        case QMetaType::Float:
            stmt.bind(index, v.toDouble());
            break;
        case QMetaType::QByteArray:
            stmt.bindBlob(index, v.toByteArray());
            break;
        default:
            if (v.isNull())
                stmt.bindNull(index);
            else
                stmt.bind(index, v.toString());
        }
    }
    stmt.bind(int(names.size()) + 1, key);
    try {
        stmt.step();
    } catch (...) {
        stmt.reset();
        accountFailure(0, 0, start);
        throw;
    }
    stmt.reset();
    account(1, 0, 0, nanosSince(start));
    return sqlite3_changes(m_db.handle()) > 0;
}

std::uint64_t DataSourceConnection::runsCountedBySqlite() const
{
    std::uint64_t runs = 0;
    for (sqlite3_stmt *stmt = sqlite3_next_stmt(m_db.handle(), nullptr); stmt;
         stmt = sqlite3_next_stmt(m_db.handle(), stmt))
        runs += std::uint64_t(sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_RUN, 0));
    return runs;
}

DataSourceStats DataSourceConnection::stats() const
{
    return {m_statements.load(), m_bytesRead.load(), m_rowsRead.load(), m_dbNanos.load(), m_failures.load()};
}

} // namespace cachescope
