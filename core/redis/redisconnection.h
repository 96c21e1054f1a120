#pragma once

#include "core/redis/redisurl.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <stdexcept>
#include <vector>

struct redisAsyncContext;
class QSocketNotifier;
class QTimer;

namespace cachescope {

/// Codes of Redis failures (RedisAnswer::code, RedisError::code).
namespace RedisCode {
constexpr int kConnectFailed = 0x52000081; ///< the server could not be reached, or refused us (AUTH)
constexpr int kConnectionLost = 0x52000082; ///< the connection broke while commands were in flight
constexpr int kTimeout = 0x52000083; ///< a command outlived the connection's timeout
constexpr int kServer = 0x52000085; ///< the server answered with an error reply
constexpr int kAbandoned = 0x52000109; ///< given up (abandon(), the connection's end)
} // namespace RedisCode

/// A failure to connect or to set a connection up.
class RedisError : public std::runtime_error {
public:
    RedisError(int code, const QString &message)
        : std::runtime_error(message.toStdString())
        , m_code(code)
    {
    }
    int code() const { return m_code; }

private:
    int m_code;
};

/// One RESP2 value.
struct RedisValue {
    enum class Type : std::uint8_t { Nil, Status, Error, Integer, String, Array };
    Type type = Type::Nil; ///< what the server sent
    QByteArray text; ///< Status, Error and String
    long long integer = 0; ///< Integer
    std::vector<RedisValue> elements; ///< Array
};

/// What one command produced: a value, or why there is none.
struct RedisAnswer {
    RedisValue value; ///< the reply (an Error reply also sets error and code)
    QString error; ///< empty on success
    int code = 0; ///< a RedisCode on failure
    std::int64_t nanos = 0; ///< from send to reply
    bool ok() const { return error.isEmpty(); }
};

/// One hiredis (0.14) asynchronous connection, used from one thread: commands are sent without
/// waiting — as many as are issued before the event loop turns go out in one write (pipelining) —,
/// their replies arrive through QSocketNotifiers on the owning thread's event loop, in order, each
/// handed to the callback given with it. A blocking form (execBlocking) waits on the socket
/// itself: for set-up work, never on the request path.
///
/// After every connect the set-up commands run first (AUTH, SELECT, then those of setSetup()). A
/// broken connection fails what is in flight (kConnectionLost, kTimeout) and is connected again
/// without blocking by the next send(), at most twice a second; meanwhile sends fail at once.
class RedisConnection : public QObject {
    Q_OBJECT
public:
    using Done = std::function<void(RedisAnswer &answer)>;
    using Command = std::vector<QByteArray>;

    RedisConnection(const RedisUrl &url, std::chrono::milliseconds timeout, QObject *parent = nullptr);
    ~RedisConnection() override;
    RedisConnection(const RedisConnection &) = delete;
    RedisConnection &operator=(const RedisConnection &) = delete;

    /// Commands run after AUTH and SELECT on every connect (CLIENT TRACKING ...).
    void setSetup(std::vector<Command> commands) { m_setup = std::move(commands); }
    /// Connects (blocking, at most the timeout) and runs the set-up; throws RedisError naming the
    /// masked URL and the reason (unreachable, wrong password, a set-up command refused).
    void open();
    /// Sends \a command; \a done runs on this thread with its answer (at once, before this
    /// returns, when the connection is broken).
    void send(const Command &command, Done done);
    /// send() for a command already in RESP form (\a resp: "*2\r\n$3\r\nGET\r\n..."), the request
    /// path's: no argument vectors, no formatting.
    void sendFormatted(const QByteArray &resp, Done done);
    /// Sends \a command and waits here for its answer.
    RedisAnswer execBlocking(const Command &command);
    /// Makes this a subscriber of \a channel: \a onMessage gets each message's payload (the
    /// third element of ["message", channel, payload]). Set before open(): a reconnect subscribes
    /// again.
    void setSubscription(const QByteArray &channel, std::function<void(const RedisValue &payload)> onMessage);

    /// The server's id of this connection (CLIENT ID), known once connected; 0 before.
    long long clientId() const { return m_clientId; }
    int inFlight() const { return int(m_queue.size()); }
    bool isBroken() const { return m_context == nullptr; }
    /// Starts connecting again when broken, without blocking (the set-up is queued first);
    /// false when it could not even start (the reason: lastError()).
    bool reconnect();
    /// Why the last connection ended (empty while none has).
    QString lastError() const { return m_lostWhy; }
    /// Reads what the server has sent, if anything, without waiting for the event loop (one
    /// poll(2) with no timeout): a subscriber's messages reach their handler sooner.
    void pollNow();
    /// Writes the commands sent so far now (one write(2)), not when the event loop next turns —
    /// unless the oldest of them has waited less than \a olderThan (it may still leave with more).
    void flushNow(std::chrono::nanoseconds olderThan = std::chrono::nanoseconds(0));
    /// Fails what is in flight with kAbandoned and drops the connection.
    void abandon();
    QString maskedUrl() const { return m_url.masked(); }

Q_SIGNALS:
    /// The connection broke (once per break; \a why says how).
    void lost(const QString &why);
    /// It is connected again (its set-up has been sent); clientId() is the new connection's.
    void reconnected();

private:
    struct Pending {
        Done done;
        std::int64_t sentAt = 0;
    };
    static void onReply(redisAsyncContext *context, void *reply, void *privdata);
    static void onMessage(redisAsyncContext *context, void *reply, void *privdata);
    static void onConnect(const redisAsyncContext *context, int status);
    static void onDisconnect(const redisAsyncContext *context, int status);
    static void addRead(void *self);
    static void delRead(void *self);
    static void addWrite(void *self);
    static void delWrite(void *self);
    static void cleanup(void *self);

    /// Starts a connection and queues its set-up; throws RedisError when it cannot even start.
    void start();
    void sendRaw(const Command &command, Done done);
    /// Connected, or connecting again (at most twice a second); otherwise \a done is called with
    /// the failure and false returned.
    bool ensureConnected(Done &done);
    void dropContext(const QString &why, int code);
    void failQueued(const QString &why, int code);
    void connectionGone();
    void detachNotifiers();
    void checkTimeouts();
    void waitUntil(const std::function<bool()> &done, std::int64_t deadline);

    RedisUrl m_url;
    std::chrono::milliseconds m_timeout;
    redisAsyncContext *m_context = nullptr;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    QTimer *m_watchdog = nullptr;
    bool m_wantRead = false;
    bool m_wantWrite = false;
    std::int64_t m_unsentSince = 0; // steady nanos: when the oldest command not yet written was sent
    std::deque<Pending> m_queue;
    std::vector<Command> m_setup;
    QByteArray m_channel;
    std::function<void(const RedisValue &)> m_onMessage;
    long long m_clientId = 0;
    std::int64_t m_lastAttempt = 0; // steady nanos of the last connect
    QString m_setupError; // the first set-up command that failed on this connection
    QString m_lostWhy; // why the last connection ended
    bool m_subscribed = false;
    bool m_everOpened = false;
};

/// The Redis server's version ("7.0.15") from INFO server; empty when it does not say.
QString redisVersion(const RedisAnswer &info);

} // namespace cachescope
