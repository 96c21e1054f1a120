#include "core/db/database.h"

#include <sqlite3.h>

#include <QFile>
#include <QFileInfo>

#include <mutex>
#include <thread>
#include <utility>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace cachescope {

DbError::DbError(int code, const QString &message)
    : std::runtime_error(message.toStdString())
    , m_code(code)
{
}

// ---- Statement ------------------------------------------------------------------------------

Statement::Statement(Statement &&other) noexcept
    : m_stmt(std::exchange(other.m_stmt, nullptr))
    , m_db(std::exchange(other.m_db, nullptr))
{
}

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_db = std::exchange(other.m_db, nullptr);
    }
    return *this;
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

void Statement::fail(int rc, const char *what) const
{
    const char *sql = m_stmt ? sqlite3_sql(m_stmt) : nullptr;
    QString message = QString::fromUtf8(what) + u": "_s + QString::fromUtf8(sqlite3_errmsg(m_db));
    if (sql)
        message += u" (in: "_s + QString::fromUtf8(sql) + u')';
    throw DbError(sqlite3_extended_errcode(m_db) ? sqlite3_extended_errcode(m_db) : rc, message);
}

void Statement::bind(int index, std::int64_t value)
{
    if (const int rc = sqlite3_bind_int64(m_stmt, index, value); rc != SQLITE_OK)
        fail(rc, "cannot bind an integer");
}

void Statement::bind(int index, double value)
{
    if (const int rc = sqlite3_bind_double(m_stmt, index, value); rc != SQLITE_OK)
        fail(rc, "cannot bind a number");
}

void Statement::bind(int index, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    if (const int rc = sqlite3_bind_text64(
            m_stmt, index, utf8.constData(), sqlite3_uint64(utf8.size()), SQLITE_TRANSIENT, SQLITE_UTF8);
        rc != SQLITE_OK)
        fail(rc, "cannot bind a text");
}

void Statement::bindBlob(int index, const QByteArray &blob)
{
    if (const int rc
        = sqlite3_bind_blob64(m_stmt, index, blob.constData(), sqlite3_uint64(blob.size()), SQLITE_TRANSIENT);
        rc != SQLITE_OK)
        fail(rc, "cannot bind a blob");
}

void Statement::bindNull(int index)
{
    if (const int rc = sqlite3_bind_null(m_stmt, index); rc != SQLITE_OK)
        fail(rc, "cannot bind NULL");
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    // Leave the statement usable for the next attempt.
    sqlite3_reset(m_stmt);
    fail(rc, "statement failed");
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

int Statement::columnCount() const
{
    return sqlite3_column_count(m_stmt);
}

QString Statement::columnName(int column) const
{
    return QString::fromUtf8(sqlite3_column_name(m_stmt, column));
}

int Statement::columnType(int column) const
{
    return sqlite3_column_type(m_stmt, column);
}

std::int64_t Statement::columnInt64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::columnDouble(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

QString Statement::columnText(int column) const
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return QString::fromUtf8(text, sqlite3_column_bytes(m_stmt, column));
}

QByteArray Statement::columnBlob(int column) const
{
    const auto *data = static_cast<const char *>(sqlite3_column_blob(m_stmt, column));
    return QByteArray(data, sqlite3_column_bytes(m_stmt, column));
}

// ---- Database -------------------------------------------------------------------------------

namespace {
// SQLite keeps process-wide memory statistics by default, behind one global mutex taken on every
// allocation — and a point read allocates several times. With two connections reading on two
// threads that mutex was contended (futex waits and wake-ups were ~16 % of a baseline profile).
// Nothing here reads those statistics, so they are switched off before SQLite initialises
// (sqlite3_config must come first; later it fails harmlessly with SQLITE_MISUSE).
void configureSqliteOnce()
{
    static std::once_flag once;
    std::call_once(once, [] {
        if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK)
            sqlite3_initialize();
    });
}
} // namespace

namespace {
// Why a read-only open failed, in the user's terms where SQLite's are misleading: a WAL database
// is read through its -shm file, which SQLite must create when it is missing ("attempt to write
// a readonly database" for a database that nobody asked to write).
QString readOnlyProblem(const QString &path, const DbError &error)
{
    QFile file(path);
    const QByteArray header = file.open(QIODevice::ReadOnly) ? file.read(20) : QByteArray();
    const bool wal = header.size() == 20 && header.startsWith("SQLite format 3") && header[18] == 2;
    const QString folder = QFileInfo(path).absolutePath();
    if (!wal || QFileInfo::exists(path + u"-shm"_s)
        || ::access(QFile::encodeName(folder).constData(), W_OK | X_OK) == 0)
        return error.message();
    return u"it is in WAL mode, and SQLite reads such a database through a '-shm' file beside it, which it cannot "
           "create because the folder '"_s
        + folder
        + u"' is not writable. Copy the database to a writable folder, or switch it to journal_mode=DELETE "
          "(SQLite: "_s
        + error.message() + u')';
}
} // namespace

bool isInterruption(int sqliteCode)
{
    return (sqliteCode & 0xff) == SQLITE_INTERRUPT || (sqliteCode & 0xff) == SQLITE_BUSY;
}

struct Database::Waits {
    std::chrono::milliseconds busyTimeout {0};
    std::atomic<const std::atomic<bool> *> stop {nullptr};

    bool stopped() const
    {
        const std::atomic<bool> *flag = stop.load(std::memory_order_relaxed);
        return flag && flag->load(std::memory_order_relaxed);
    }
    // SQLite's own busy timeout sleeps up to 100 ms at a time and cannot be cut short: this one
    // sleeps 2 ms at a time and gives up at the timeout or as soon as the stop flag is set.
    static int onBusy(void *self, int count)
    {
        const auto *waits = static_cast<const Waits *>(self);
        constexpr int kSliceMs = 2;
        if (waits->stopped() || std::int64_t(count) * kSliceMs >= waits->busyTimeout.count())
            return 0;
        std::this_thread::sleep_for(std::chrono::milliseconds(kSliceMs));
        return 1;
    }
    static int onProgress(void *self) { return static_cast<const Waits *>(self)->stopped() ? 1 : 0; }
};

Database::Database(const QString &path, OpenMode mode, std::chrono::milliseconds busyTimeout)
    : m_path(path)
    , m_mode(mode)
    , m_waits(std::make_unique<Waits>())
{
    m_waits->busyTimeout = busyTimeout;
    configureSqliteOnce();
    int flags = SQLITE_OPEN_NOMUTEX; // one connection per thread: no need for SQLite's own mutex
    switch (mode) {
    case OpenMode::ReadOnly:
        flags |= SQLITE_OPEN_READONLY;
        break;
    case OpenMode::ReadWrite:
        flags |= SQLITE_OPEN_READWRITE;
        break;
    case OpenMode::Create:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        break;
    }
    const QByteArray utf8 = path.toUtf8();
    const int rc = sqlite3_open_v2(utf8.constData(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const QString reason = m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QString::fromUtf8(sqlite3_errstr(rc));
        const int code = m_db ? sqlite3_extended_errcode(m_db) : rc;
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        throw DbError(code, u"cannot open database '"_s + path + u"': "_s + reason);
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_handler(m_db, &Waits::onBusy, m_waits.get());
    if (mode == OpenMode::ReadOnly) {
        // Opening is lazy: make a read-only open of a non-database fail here, with its name.
        try {
            Statement probe = prepare(u"SELECT count(*) FROM sqlite_schema"_s);
            probe.step();
        } catch (const DbError &error) {
            sqlite3_close_v2(m_db);
            m_db = nullptr;
            throw DbError(error.code(), u"cannot read database '"_s + path + u"': "_s + readOnlyProblem(path, error));
        }
    }
}

Database::Database(Database &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
    , m_path(std::move(other.m_path))
    , m_mode(other.m_mode)
    , m_waits(std::move(other.m_waits))
{
}

Database &Database::operator=(Database &&other) noexcept
{
    if (this != &other) {
        sqlite3_close_v2(m_db);
        m_db = std::exchange(other.m_db, nullptr);
        m_path = std::move(other.m_path);
        m_mode = other.m_mode;
        m_waits = std::move(other.m_waits);
    }
    return *this;
}

void Database::setInterrupt(const std::atomic<bool> *stop)
{
    m_waits->stop.store(stop, std::memory_order_relaxed);
    // Checked every 1,000 virtual-machine steps: a point read takes fewer, so the read path
    // the baseline measures rarely calls it.
    sqlite3_progress_handler(m_db, stop ? 1000 : 0, stop ? &Waits::onProgress : nullptr, m_waits.get());
}

Database::~Database()
{
    // close_v2 defers the close until every statement is finalised, so the order of
    // destruction between a Database and its Statements does not matter.
    sqlite3_close_v2(m_db);
}

void Database::exec(const QString &sql)
{
    char *error = nullptr;
    const QByteArray utf8 = sql.toUtf8();
    const int rc = sqlite3_exec(m_db, utf8.constData(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        const QString message = QString::fromUtf8(error ? error : sqlite3_errstr(rc));
        sqlite3_free(error);
        throw DbError(sqlite3_extended_errcode(m_db), u"SQL failed: "_s + message + u" (in: "_s + sql + u')');
    }
}

Statement Database::prepare(const QString &sql)
{
    sqlite3_stmt *stmt = nullptr;
    const QByteArray utf8 = sql.toUtf8();
    const int rc
        = sqlite3_prepare_v3(m_db, utf8.constData(), int(utf8.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
        throw DbError(sqlite3_extended_errcode(m_db),
            u"cannot prepare SQL: "_s + QString::fromUtf8(sqlite3_errmsg(m_db)) + u" (in: "_s + sql + u')');
    }
    if (!stmt)
        throw DbError(-1, u"SQL holds no statement: "_s + sql);
    return Statement(stmt, m_db);
}

QString Database::enableWal()
{
    Statement stmt = prepare(u"PRAGMA journal_mode=WAL"_s);
    return stmt.step() ? stmt.columnText(0) : QString();
}

QString Database::quoteIdentifier(const QString &identifier)
{
    QString quoted = identifier;
    quoted.replace(u'"', u"\"\""_s);
    return u'"' + quoted + u'"';
}

QString sqliteVersion()
{
    return QString::fromUtf8(sqlite3_libversion());
}

} // namespace cachescope
