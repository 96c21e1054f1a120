#include "core/db/pgconnection.h"

#include <libpq-fe.h>

#include <QRegularExpression>
#include <QSocketNotifier>
#include <QTimer>

#include <chrono>
#include <exception>

#include <poll.h>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {
std::int64_t steadyNanos()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

QString libpqMessage(const pg_conn *conn)
{
    return QString::fromUtf8(PQerrorMessage(conn)).trimmed();
}

// A failed result's code and message, with the server's SQLSTATE.
int codeOf(const pg_result *result)
{
    const char *state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    const QByteArray sqlState = state ? QByteArray(state) : QByteArray();
    if (sqlState == "57014")
        return PgCode::kTimeout; // query_canceled: statement_timeout
    if (sqlState == "40001" || sqlState == "40P01")
        return PgCode::kRetryable; // serialization failure, deadlock
    if (sqlState.startsWith("08") || sqlState == "57P01" || sqlState == "57P02" || sqlState == "57P03")
        return PgCode::kConnectionLost; // connection exceptions, admin/crash shutdown
    if (sqlState == "25006")
        return PgCode::kUsage; // read_only_sql_transaction
    return PgCode::kServer;
}

QString messageOf(const pg_result *result)
{
    const char *state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    QString message = QString::fromUtf8(PQresultErrorMessage(result)).trimmed();
    if (message.startsWith(u"ERROR:  "_s))
        message = message.mid(8);
    if (state)
        message += u" (SQLSTATE "_s + QString::fromLatin1(state) + u')';
    return message;
}
} // namespace

QString libpqVersion()
{
    const int v = PQlibVersion();
    return u"%1.%2"_s.arg(v / 10000).arg(v % 10000);
}

bool isPostgresCode(int code)
{
    return (code >= PgCode::kConnectFailed && code <= PgCode::kUsage) || code == PgCode::kAbandoned;
}

QString maskPassword(const QString &url)
{
    QString masked = url;
    // URI: scheme://user:secret@host
    static const QRegularExpression userInfo(
        u"^(postgres(?:ql)?://[^:/@?#]*):[^/?#]*@"_s); // up to the last @: mask too much rather than too little
    masked.replace(userInfo, u"\\1:***@"_s);
    // URI query parameter and key=value form (quoted or not).
    static const QRegularExpression query(u"([?&]password=)[^&#]*"_s);
    masked.replace(query, u"\\1***"_s);
    static const QRegularExpression pair(u"(^|\\s)(password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|\\S*)"_s);
    masked.replace(pair, u"\\1\\2***"_s);
    return masked;
}

void PgConnection::ResultDeleter::operator()(pg_result *result) const
{
    PQclear(result);
}

PgConnection::PgConnection(const QString &url, std::chrono::milliseconds timeout, QObject *parent)
    : QObject(parent)
    , m_url(url)
    , m_timeout(timeout)
{
    open();
}

PgConnection::~PgConnection()
{
    close();
}

void PgConnection::open()
{
    const QByteArray dbname = m_url.toUtf8();
    const QByteArray connectTimeout = QByteArray::number(std::max<qint64>(1, (m_timeout.count() + 999) / 1000));
    // Ours first: the URL's own values, expanded from dbname, override them.
    const char *keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char *values[] = {connectTimeout.constData(), "cachescope", dbname.constData(), nullptr};
    m_conn = PQconnectdbParams(keys, values, 1);
    if (!m_conn || PQstatus(m_conn) != CONNECTION_OK) {
        const QString reason = m_conn ? libpqMessage(m_conn) : u"out of memory"_s;
        close();
        throw DbError(
            PgCode::kConnectFailed, u"cannot connect to PostgreSQL at '"_s + maskPassword(m_url) + u"': "_s + reason);
    }
    m_broken = false;
    m_prepared.clear();
    // Session settings (not writes): a statement never outlives db.timeout on the server.
    const QByteArray setTimeout = "SET statement_timeout = " + QByteArray::number(qint64(m_timeout.count()));
    if (pg_result *r = PQexec(m_conn, setTimeout.constData()); PQresultStatus(r) != PGRES_COMMAND_OK) {
        const QString reason = messageOf(r);
        PQclear(r);
        close();
        throw DbError(
            PgCode::kConnectFailed, u"cannot set up the connection to '"_s + maskPassword(m_url) + u"': "_s + reason);
    } else {
        PQclear(r);
    }
    // The server's notices (a shutdown's "terminating connection", say) go nowhere: what matters
    // of them comes back as the failed statement's error, counted and reported; libpq's default
    // would print each on stderr, in the middle of the command line's output.
    PQsetNoticeProcessor(
        m_conn, [](void *, const char *) {}, nullptr);
    PQsetnonblocking(m_conn, 1);
    m_readNotifier = new QSocketNotifier(qintptr(PQsocket(m_conn)), QSocketNotifier::Read, this);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &PgConnection::onReadable);
    m_writeNotifier = new QSocketNotifier(qintptr(PQsocket(m_conn)), QSocketNotifier::Write, this);
    m_writeNotifier->setEnabled(false);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &PgConnection::flush);
    if (!m_watchdog) {
        m_watchdog = new QTimer(this);
        m_watchdog->setInterval(250);
        connect(m_watchdog, &QTimer::timeout, this, &PgConnection::checkTimeouts);
    }
}

void PgConnection::close()
{
    delete m_readNotifier;
    m_readNotifier = nullptr;
    delete m_writeNotifier;
    m_writeNotifier = nullptr;
    if (m_watchdog)
        m_watchdog->stop();
    if (m_conn)
        PQfinish(m_conn);
    m_conn = nullptr;
}

void PgConnection::reconnect()
{
    failAll(u"the connection to PostgreSQL was reset"_s, PgCode::kConnectionLost);
    close();
    open();
}

QString PgConnection::quoteIdentifier(const QString &identifier) const
{
    const QByteArray utf8 = identifier.toUtf8();
    char *quoted = PQescapeIdentifier(m_conn, utf8.constData(), std::size_t(utf8.size()));
    if (!quoted)
        throw DbError(
            PgCode::kUsage, u"cannot quote the identifier '"_s + identifier + u"': "_s + libpqMessage(m_conn));
    QString result = QString::fromUtf8(quoted);
    PQfreemem(quoted);
    return result;
}

QString PgConnection::serverVersion() const
{
    const int v = m_conn ? PQserverVersion(m_conn) : 0;
    return v >= 100000 ? u"%1.%2"_s.arg(v / 10000).arg(v % 10000)
                       : u"%1.%2.%3"_s.arg(v / 10000).arg(v / 100 % 100).arg(v % 100);
}

void PgConnection::send(const QByteArray &name, const QByteArray &sql, const std::vector<QByteArray> &params, Done done)
{
    if (m_broken || !m_conn) {
        Reply reply;
        reply.error = u"the connection to PostgreSQL is broken"_s;
        reply.code = PgCode::kConnectionLost;
        done(reply);
        return;
    }
    if (PQpipelineStatus(m_conn) == PQ_PIPELINE_OFF && !PQenterPipelineMode(m_conn)) {
        Reply reply;
        reply.error = u"cannot enter pipeline mode: "_s + libpqMessage(m_conn);
        reply.code = PgCode::kUsage;
        done(reply);
        return;
    }
    const std::int64_t now = steadyNanos();
    if (std::find(m_prepared.begin(), m_prepared.end(), name) == m_prepared.end()) {
        if (!PQsendPrepare(m_conn, name.constData(), sql.constData(), int(params.size()), nullptr)
            || !PQpipelineSync(m_conn)) {
            m_broken = true;
            failAll(u"lost the connection to PostgreSQL: "_s + libpqMessage(m_conn), PgCode::kConnectionLost);
            send(name, sql, params, std::move(done));
            return;
        }
        m_prepared.push_back(name);
        Pending prepare;
        prepare.sentAt = now;
        prepare.ignore = true;
        m_queue.push_back(std::move(prepare));
    }
    std::vector<const char *> values(params.size());
    for (std::size_t i = 0; i < params.size(); ++i)
        values[i] = params[i].isNull() ? nullptr : params[i].constData();
    if (!PQsendQueryPrepared(m_conn, name.constData(), int(params.size()), values.data(), nullptr, nullptr, 0)
        || !PQpipelineSync(m_conn)) {
        m_broken = true;
        failAll(u"lost the connection to PostgreSQL: "_s + libpqMessage(m_conn), PgCode::kConnectionLost);
        send(name, sql, params, std::move(done)); // answered at once: broken
        return;
    }
    Pending pending;
    pending.done = std::move(done);
    pending.sentAt = now;
    m_queue.push_back(std::move(pending));
    ++m_inFlight;
    if (!m_watchdog->isActive())
        m_watchdog->start();
    flush();
}

void PgConnection::flush()
{
    if (!m_conn)
        return;
    const int rc = PQflush(m_conn);
    if (rc < 0) {
        m_broken = true;
        failAll(u"lost the connection to PostgreSQL: "_s + libpqMessage(m_conn), PgCode::kConnectionLost);
        return;
    }
    m_writeNotifier->setEnabled(rc == 1); // more to send once the socket takes it
}

void PgConnection::onReadable()
{
    if (!m_conn)
        return;
    if (!PQconsumeInput(m_conn)) {
        m_broken = true;
        m_readNotifier->setEnabled(false);
        failAll(u"lost the connection to PostgreSQL: "_s + libpqMessage(m_conn), PgCode::kConnectionLost);
        return;
    }
    drain();
}

void PgConnection::drain()
{
    if (m_draining)
        return; // a callback sent more; the loop below picks its replies up
    m_draining = true;
    while (!m_queue.empty() && m_conn && !PQisBusy(m_conn)) {
        pg_result *raw = PQgetResult(m_conn);
        Pending &front = m_queue.front();
        if (!raw) {
            front.sawEnd = true; // the end of this statement's results; its sync point follows
            continue;
        }
        Result result(raw);
        const ExecStatusType status = PQresultStatus(raw);
        if (status != PGRES_PIPELINE_SYNC) {
            if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
                front.result = std::move(result);
            } else if (front.error.isEmpty()) {
                front.error = status == PGRES_PIPELINE_ABORTED ? u"the pipeline was aborted"_s : messageOf(raw);
                front.code = status == PGRES_PIPELINE_ABORTED ? PgCode::kServer : codeOf(raw);
            }
            continue;
        }
        Pending done = std::move(front);
        m_queue.pop_front();
        if (done.ignore) {
            if (!done.error.isEmpty() && !m_queue.empty() && m_queue.front().error.isEmpty()) {
                m_queue.front().error = u"cannot prepare the statement: "_s + done.error;
                m_queue.front().code = done.code;
            }
            continue;
        }
        --m_inFlight;
        Reply reply;
        reply.result = std::move(done.result);
        reply.error = std::move(done.error);
        reply.code = done.code;
        reply.nanos = steadyNanos() - done.sentAt;
        if (done.done)
            done.done(reply);
    }
    if (m_queue.empty() && m_watchdog)
        m_watchdog->stop();
    m_draining = false;
}

void PgConnection::failAll(const QString &error, int code)
{
    std::deque<Pending> failed;
    failed.swap(m_queue);
    m_inFlight = 0;
    const std::int64_t now = steadyNanos();
    for (Pending &p : failed) {
        if (p.ignore || !p.done)
            continue;
        Reply reply;
        reply.error = error;
        reply.code = code;
        reply.nanos = now - p.sentAt;
        p.done(reply);
    }
    if (m_watchdog)
        m_watchdog->stop();
}

void PgConnection::abandon()
{
    if (m_queue.empty())
        return;
    m_broken = true;
    if (m_readNotifier)
        m_readNotifier->setEnabled(false);
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    failAll(u"given up at the phase's end: PostgreSQL had not answered"_s, PgCode::kAbandoned);
}

void PgConnection::checkTimeouts()
{
    if (m_queue.empty())
        return;
    // The server cancels a statement at statement_timeout; one that has not answered a second
    // after that means a server (or network) that stopped answering: give up on the connection.
    const std::int64_t limit = (m_timeout.count() + 1000) * 1'000'000;
    if (steadyNanos() - m_queue.front().sentAt < limit)
        return;
    m_broken = true;
    if (m_readNotifier)
        m_readNotifier->setEnabled(false);
    failAll(u"PostgreSQL did not answer within %1 ms (db.timeout)"_s.arg(m_timeout.count() + 1000), PgCode::kTimeout);
}

PgConnection::Reply PgConnection::waitFor(const std::shared_ptr<bool> &done, Reply &slot)
{
    const std::int64_t deadline = steadyNanos() + (m_timeout.count() + 1000) * 1'000'000;
    while (!*done) {
        if (!m_conn || m_broken)
            break;
        const int rc = PQflush(m_conn);
        pollfd fd {PQsocket(m_conn), short(rc == 1 ? POLLIN | POLLOUT : POLLIN), 0};
        const std::int64_t left = (deadline - steadyNanos()) / 1'000'000;
        if (left <= 0) {
            m_broken = true;
            failAll(u"PostgreSQL did not answer within %1 ms (db.timeout)"_s.arg(m_timeout.count() + 1000),
                PgCode::kTimeout);
            break;
        }
        if (::poll(&fd, 1, int(std::min<std::int64_t>(left, 100))) > 0 && (fd.revents & (POLLIN | POLLHUP | POLLERR)))
            onReadable();
    }
    if (!*done) {
        Reply reply;
        reply.error = u"the connection to PostgreSQL is broken"_s;
        reply.code = PgCode::kConnectionLost;
        return reply;
    }
    return std::move(slot);
}

PgConnection::Reply PgConnection::execBlocking(const QByteArray &sql, const std::vector<QByteArray> &params)
{
    auto done = std::make_shared<bool>(false);
    auto slot = std::make_shared<Reply>();
    if (m_broken || !m_conn) {
        slot->error = u"the connection to PostgreSQL is broken"_s;
        slot->code = PgCode::kConnectionLost;
        return std::move(*slot);
    }
    if (PQpipelineStatus(m_conn) == PQ_PIPELINE_OFF)
        PQenterPipelineMode(m_conn);
    std::vector<const char *> values(params.size());
    for (std::size_t i = 0; i < params.size(); ++i)
        values[i] = params[i].isNull() ? nullptr : params[i].constData();
    if (!PQsendQueryParams(m_conn, sql.constData(), int(params.size()), nullptr, values.data(), nullptr, nullptr, 0)
        || !PQpipelineSync(m_conn)) {
        m_broken = true;
        failAll(u"lost the connection to PostgreSQL: "_s + libpqMessage(m_conn), PgCode::kConnectionLost);
        slot->error = u"lost the connection to PostgreSQL: "_s + libpqMessage(m_conn);
        slot->code = PgCode::kConnectionLost;
        return std::move(*slot);
    }
    Pending pending;
    pending.sentAt = steadyNanos();
    pending.done = [done, slot](Reply &reply) {
        *slot = std::move(reply);
        *done = true;
    };
    m_queue.push_back(std::move(pending));
    ++m_inFlight;
    return waitFor(done, *slot);
}

std::int64_t PgConnection::copyIn(const QByteArray &sql, const std::function<bool(QByteArray &chunk)> &next)
{
    if (m_broken || !m_conn)
        throw DbError(PgCode::kConnectionLost, u"the connection to PostgreSQL is broken"_s);
    if (!m_queue.empty())
        throw DbError(PgCode::kUsage, u"COPY on a connection with statements in flight"_s);
    if (PQpipelineStatus(m_conn) != PQ_PIPELINE_OFF)
        PQexitPipelineMode(m_conn);
    PQsetnonblocking(m_conn, 0);
    struct Restore {
        pg_conn *conn;
        ~Restore() { PQsetnonblocking(conn, 1); }
    } restore {m_conn};
    Result started(PQexec(m_conn, sql.constData()));
    if (PQresultStatus(started.get()) != PGRES_COPY_IN)
        throw DbError(codeOf(started.get()), messageOf(started.get()) + u" (in: "_s + QString::fromUtf8(sql) + u')');
    QByteArray chunk;
    QString failure;
    std::exception_ptr stopped; // the data's own exception (a stop signal): rethrown once the copy is ended
    try {
        while (next(chunk)) {
            if (PQputCopyData(m_conn, chunk.constData(), int(chunk.size())) != 1) {
                failure = libpqMessage(m_conn);
                break;
            }
        }
    } catch (...) {
        stopped = std::current_exception();
        failure = u"stopped"_s;
    }
    if (PQputCopyEnd(m_conn, failure.isEmpty() ? nullptr : "cancelled by CacheScope") != 1 && failure.isEmpty())
        failure = libpqMessage(m_conn);
    std::int64_t rows = 0;
    while (pg_result *raw = PQgetResult(m_conn)) {
        Result r(raw);
        if (PQresultStatus(raw) == PGRES_COMMAND_OK)
            rows = QByteArray(PQcmdTuples(raw)).toLongLong();
        else if (failure.isEmpty())
            failure = messageOf(raw);
    }
    if (stopped)
        std::rethrow_exception(stopped);
    if (!failure.isEmpty())
        throw DbError(PgCode::kServer, u"COPY failed: "_s + failure);
    return rows;
}

void PgConnection::throwFailure(const Reply &reply) const
{
    throw DbError(reply.code, reply.error);
}

PgConnection::Result PgConnection::execOrThrow(const QByteArray &sql, const std::vector<QByteArray> &params)
{
    Reply reply = execBlocking(sql, params);
    if (!reply.ok())
        throwFailure(reply);
    return std::move(reply.result);
}

} // namespace cachescope
