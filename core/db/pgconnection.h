#pragma once

#include "core/db/database.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

struct pg_conn;
struct pg_result;
class QSocketNotifier;
class QTimer;

namespace cachescope {

/// DbError codes of PostgreSQL failures. Their low byte is never one of SQLite's busy or
/// interrupt codes, so isInterruption() and isRetryable() tell them apart.
namespace PgCode {
constexpr int kConnectFailed = 0x50000081; ///< the server could not be reached or refused us
constexpr int kConnectionLost = 0x50000082; ///< the connection broke while statements were in flight
constexpr int kTimeout = 0x50000083; ///< a statement outlived db.timeout (server- or client-side)
constexpr int kRetryable = 0x50000084; ///< serialization failure, deadlock: run it again
constexpr int kServer = 0x50000085; ///< any other error the server reported (its SQLSTATE in the text)
constexpr int kUsage = 0x50000086; ///< a statement CacheScope cannot run (read-only, bad input)
/// A statement given up because the phase ended (abandon()): its low byte is SQLite's interrupt
/// code on purpose, so isInterruption() counts it as the phase's end, not as a failure.
constexpr int kAbandoned = 0x50000109;
} // namespace PgCode

/// True for the codes above.
bool isPostgresCode(int code);

/// The version of the libpq linked at run time ("15.18").
QString libpqVersion();

/// \a url with any password replaced by "***": a URI's `user:secret@` and `?password=`, and a
/// key=value string's `password=...`. What every message, result and report shows of a URL.
QString maskPassword(const QString &url);

/// One libpq connection, used from one thread. Statements are sent in pipeline mode without
/// waiting (PQsendQueryPrepared, each followed by a sync point, so a failing statement affects
/// no other), their replies arrive through a QSocketNotifier on the connection's socket on the
/// owning thread's event loop, in order, each handed to the callback given with it. A blocking
/// form (execBlocking) waits on the socket itself: for set-up work, never on the request path.
class PgConnection : public QObject {
    Q_OBJECT
public:
    struct ResultDeleter {
        void operator()(pg_result *result) const;
    };
    using Result = std::unique_ptr<pg_result, ResultDeleter>;

    /// What one statement produced: its result on success, else an error and its code.
    struct Reply {
        Result result; ///< PGRES_TUPLES_OK or PGRES_COMMAND_OK
        QString error; ///< empty on success
        int code = 0; ///< a PgCode on failure
        std::int64_t nanos = 0; ///< from send to reply
        bool ok() const { return error.isEmpty(); }
    };
    using Done = std::function<void(Reply &reply)>;

    /// Connects (blocking, at most \a timeout) with libpq's connection-string rules: a
    /// `postgresql://` URI or `key=value` pairs, PGPASSFILE, PGSERVICE and the PG* variables.
    /// Statements time out after \a timeout on the server (statement_timeout) and, should the
    /// server stop answering, one second later here. Throws DbError (kConnectFailed) naming the
    /// masked URL and libpq's reason.
    PgConnection(const QString &url, std::chrono::milliseconds timeout, QObject *parent = nullptr);
    ~PgConnection() override;
    PgConnection(const PgConnection &) = delete;
    PgConnection &operator=(const PgConnection &) = delete;

    /// Sends \a sql as the prepared statement \a name (prepared on first use, in the same
    /// pipeline) with text parameters; \a done runs on this thread when the reply has arrived,
    /// or at once (before this returns) when the connection is broken.
    void send(const QByteArray &name, const QByteArray &sql, const std::vector<QByteArray> &params, Done done);
    /// Runs \a sql (unnamed, parameters bound as text) and waits for its reply here.
    Reply execBlocking(const QByteArray &sql, const std::vector<QByteArray> &params = {});
    /// As execBlocking(), throwing DbError on failure; returns the result.
    Result execOrThrow(const QByteArray &sql, const std::vector<QByteArray> &params = {});

    /// Runs `COPY ... FROM STDIN` (\a sql) with the data \a next hands out, chunk by chunk,
    /// until it returns false; blocking, outside pipeline mode. Returns the rows copied; throws
    /// DbError (the copy is then rolled back by the server).
    std::int64_t copyIn(const QByteArray &sql, const std::function<bool(QByteArray &chunk)> &next);

    /// Statements sent and not yet answered.
    int inFlight() const { return m_inFlight; }
    /// True once the connection has broken (the server went away, a timeout); reconnect() or drop it.
    bool isBroken() const { return m_broken; }
    /// Connects again (blocking); throws DbError when the server still cannot be reached.
    void reconnect();
    /// Gives up on the statements in flight (the phase has ended and the server has not answered
    /// them: a lock wait, a server that stopped): each fails at once with PgCode::kAbandoned and
    /// the connection is dropped (the server then cancels what it runs). Nothing when none is in
    /// flight.
    void abandon();

    /// The identifier quoted for SQL by the server's rules (PQescapeIdentifier).
    QString quoteIdentifier(const QString &identifier) const;
    /// The server's version, e.g. "15.18".
    QString serverVersion() const;
    /// The URL with its password masked.
    QString maskedUrl() const { return maskPassword(m_url); }
    pg_conn *handle() const { return m_conn; }

private:
    struct Pending {
        Done done;
        std::int64_t sentAt = 0; // steady nanos
        Result result;
        QString error;
        int code = 0;
        bool sawEnd = false; // the NULL that ends this statement's results has come
        bool ignore = false; // a PQsendPrepare: only its failure matters (it fails the statement after it)
    };
    void open();
    void close();
    void flush();
    void onReadable();
    void drain();
    void failAll(const QString &error, int code);
    void checkTimeouts();
    [[noreturn]] void throwFailure(const Reply &reply) const;
    Reply waitFor(const std::shared_ptr<bool> &done, Reply &slot);

    QString m_url;
    std::chrono::milliseconds m_timeout;
    pg_conn *m_conn = nullptr;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    QTimer *m_watchdog = nullptr;
    std::deque<Pending> m_queue;
    std::vector<QByteArray> m_prepared;
    int m_inFlight = 0; // entries of m_queue that are statements (not their PQsendPrepare)
    bool m_broken = false;
    bool m_draining = false;
};

} // namespace cachescope
