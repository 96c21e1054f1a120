#pragma once

#include <QByteArray>
#include <QString>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace cachescope {

/// An error reported by SQLite (or by this layer while talking to it). It carries SQLite's
/// extended result code and message, plus what was being done, so the user sees both.
class DbError : public std::runtime_error {
public:
    DbError(int code, const QString &message);
    /// SQLite's extended result code (SQLITE_BUSY, SQLITE_CANTOPEN, ...), or -1 for a usage error.
    int code() const { return m_code; }
    QString message() const { return QString::fromUtf8(what()); }

private:
    int m_code;
};

/// True for the result codes a set stop flag (Database::setInterrupt) makes a statement fail
/// with: SQLITE_INTERRUPT, and SQLITE_BUSY from a lock wait cut short.
bool isInterruption(int sqliteCode);

/// The database can be read but does not fit the scenario (a key column that is not an integer
/// or not unique, a table with no rows): bad input, not a failure while running.
class DataError : public DbError {
public:
    using DbError::DbError;
};

class Database;

/// One prepared statement. Owned by value (move-only); finalised on destruction. Columns are
/// read only while the statement sits on a row (after step() returned true).
class Statement {
public:
    Statement() = default;
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    ~Statement();

    bool isValid() const { return m_stmt != nullptr; }

    void bind(int index, std::int64_t value);
    void bind(int index, double value);
    void bind(int index, const QString &text);
    void bindBlob(int index, const QByteArray &blob);
    void bindNull(int index);

    /// Advances to the next row: true when a row is available, false when done. Throws DbError.
    bool step();
    /// Resets the statement for another execution and clears its bindings.
    void reset();

    int columnCount() const;
    QString columnName(int column) const;
    /// SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB or SQLITE_NULL.
    int columnType(int column) const;
    std::int64_t columnInt64(int column) const;
    double columnDouble(int column) const;
    QString columnText(int column) const;
    QByteArray columnBlob(int column) const;

    sqlite3_stmt *handle() const { return m_stmt; }

private:
    friend class Database;
    Statement(sqlite3_stmt *stmt, sqlite3 *db)
        : m_stmt(stmt)
        , m_db(db)
    {
    }
    [[noreturn]] void fail(int rc, const char *what) const;

    sqlite3_stmt *m_stmt = nullptr;
    sqlite3 *m_db = nullptr;
};

/// One SQLite connection (RAII over sqlite3*). A connection belongs to one thread at a time:
/// CacheScope gives every worker thread its own.
class Database {
public:
    enum class OpenMode {
        ReadOnly, ///< the file must exist; never written (how a user's database is opened)
        ReadWrite, ///< the file must exist
        Create, ///< created when missing
    };

    static constexpr std::chrono::milliseconds kDefaultBusyTimeout {5000};

    /// Opens \a path; throws DbError naming the file and SQLite's reason on failure.
    Database(const QString &path, OpenMode mode, std::chrono::milliseconds busyTimeout = kDefaultBusyTimeout);
    Database(Database &&other) noexcept;
    Database &operator=(Database &&other) noexcept;
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;
    ~Database();

    /// Runs one or more statements that return no rows (DDL, PRAGMA, BEGIN/COMMIT...).
    void exec(const QString &sql);
    /// Prepares a new statement; throws DbError with SQLite's message on bad SQL.
    Statement prepare(const QString &sql);
    /// Sets journal_mode=WAL (for databases CacheScope owns). Returns the mode now in force.
    QString enableWal();

    QString path() const { return m_path; }
    OpenMode openMode() const { return m_mode; }
    sqlite3 *handle() const { return m_db; }

    /// While \a stop (when given) is false, a statement that meets a lock waits for it up to the
    /// busy timeout; once it is set, the wait ends at once (SQLITE_BUSY) and a statement that is
    /// running is interrupted (SQLITE_INTERRUPT), so that Stop and a phase's end are not held up
    /// by another process's lock. \a stop must outlive its use; nullptr removes it.
    void setInterrupt(const std::atomic<bool> *stop);

    /// Quotes an identifier for SQL ("name" with embedded quotes doubled).
    static QString quoteIdentifier(const QString &identifier);

private:
    struct Waits; // what the busy and progress handlers read: at a stable address across moves

    sqlite3 *m_db = nullptr;
    QString m_path;
    OpenMode m_mode = OpenMode::ReadOnly;
    std::unique_ptr<Waits> m_waits;
};

/// Version string of the SQLite library linked at run time.
QString sqliteVersion();

} // namespace cachescope
