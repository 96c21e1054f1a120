#include "core/db/datasource.h"

#include "core/db/rowcodec.h"

#include <sqlite3.h>

#include <QFileInfo>

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
    return *this;
}

DataSourceStats DataSourceStats::operator-(const DataSourceStats &other) const
{
    return {
        statements - other.statements, bytesRead - other.bytesRead, rowsRead - other.rowsRead, dbNanos - other.dbNanos};
}

TableInfo inspectTable(const DataSourceSpec &spec)
{
    Database db = openChecked(spec);
    TableInfo info;
    {
        Statement columns = db.prepare(u"SELECT name FROM pragma_table_info(?1)"_s);
        columns.bind(1, spec.table);
        while (columns.step())
            info.columns.append(columns.columnText(0));
    }
    if (info.columns.isEmpty()) {
        QStringList tables;
        Statement list = db.prepare(
            u"SELECT name FROM sqlite_schema WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%' ORDER BY name"_s);
        while (list.step())
            tables.append(list.columnText(0));
        throw DbError(SQLITE_ERROR,
            u"table '"_s + spec.table + u"' does not exist in '"_s + spec.path + u"' (tables: "_s
                + (tables.isEmpty() ? u"none"_s : tables.join(u", "_s)) + u')');
    }
    if (!info.columns.contains(spec.keyColumn)) {
        throw DbError(SQLITE_ERROR,
            u"key column '"_s + spec.keyColumn + u"' is not a column of table '"_s + spec.table + u"' (columns: "_s
                + info.columns.join(u", "_s) + u')');
    }
    Statement count = db.prepare(u"SELECT count(*) FROM "_s + Database::quoteIdentifier(spec.table));
    if (count.step())
        info.rowCount = count.columnInt64(0);
    return info;
}

std::vector<std::int64_t> loadKeys(const DataSourceSpec &spec, std::int64_t limit)
{
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
            throw DbError(SQLITE_MISMATCH,
                u"key column '"_s + spec.keyColumn + u"' of table '"_s + spec.table
                    + u"' holds a value that is not an integer ('"_s + stmt.columnText(0)
                    + u"'); CacheScope needs integer keys"_s);
        }
        keys.push_back(stmt.columnInt64(0));
    }
    return keys;
}

DataSourceConnection::DataSourceConnection(const DataSourceSpec &spec)
    : m_db(openChecked(spec))
{
    // The key is selected first so a missing row and the column layout are unambiguous;
    // the encoded row holds every column after it, in table order.
    m_pointRead = m_db.prepare(u"SELECT "_s + Database::quoteIdentifier(spec.keyColumn) + u", * FROM "_s
        + Database::quoteIdentifier(spec.table) + u" WHERE "_s + Database::quoteIdentifier(spec.keyColumn)
        + u" = ?1"_s);
}

std::optional<QByteArray> DataSourceConnection::readRow(std::int64_t key)
{
    const auto start = std::chrono::steady_clock::now();
    std::optional<QByteArray> row;
    std::uint64_t bytes = 0;
    m_pointRead.bind(1, key);
    try {
        if (m_pointRead.step()) {
            row = RowCodec::encode(m_pointRead.handle(), 1, bytes);
        }
    } catch (...) {
        m_statements.add();
        m_pointRead.reset();
        throw;
    }
    m_pointRead.reset();
    const auto elapsed = std::chrono::steady_clock::now() - start;
    m_statements.add();
    m_bytesRead.add(bytes);
    m_rowsRead.add(row ? 1 : 0);
    m_dbNanos.add(std::uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()));
    return row;
}

DataSourceStats DataSourceConnection::stats() const
{
    return {m_statements.load(), m_bytesRead.load(), m_rowsRead.load(), m_dbNanos.load()};
}

} // namespace cachescope
