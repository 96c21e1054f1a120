#include "core/redis/redisconnection.h"

#include <QMetaObject>
#include <QSocketNotifier>
#include <QTimer>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <poll.h>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {

std::int64_t nowNanos()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

constexpr std::int64_t kReconnectEvery = 500'000'000; // ns: at most twice a second

RedisValue convert(const redisReply *reply)
{
    RedisValue value;
    switch (reply->type) {
    case REDIS_REPLY_STRING:
        value.type = RedisValue::Type::String;
        value.text = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_STATUS:
        value.type = RedisValue::Type::Status;
        value.text = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_ERROR:
        value.type = RedisValue::Type::Error;
        value.text = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_INTEGER:
        value.type = RedisValue::Type::Integer;
        value.integer = reply->integer;
        break;
    case REDIS_REPLY_ARRAY:
        value.type = RedisValue::Type::Array;
        value.elements.reserve(reply->elements);
        for (std::size_t i = 0; i < reply->elements; ++i)
            value.elements.push_back(convert(reply->element[i]));
        break;
    default:
        break; // REDIS_REPLY_NIL
    }
    return value;
}

QString commandName(const RedisConnection::Command &command)
{
    return command.empty() ? QString() : QString::fromLatin1(command.front()).toUpper();
}

} // namespace

QString redisVersion(const RedisAnswer &info)
{
    for (const QByteArray &line : info.value.text.split('\n')) {
        if (line.startsWith("redis_version:"))
            return QString::fromLatin1(line.mid(14).trimmed());
    }
    return {};
}

RedisConnection::RedisConnection(const RedisUrl &url, std::chrono::milliseconds timeout, QObject *parent)
    : QObject(parent)
    , m_url(url)
    , m_timeout(std::max(timeout, std::chrono::milliseconds(1)))
    , m_watchdog(new QTimer(this))
{
    m_watchdog->setInterval(std::clamp(m_timeout / 4, std::chrono::milliseconds(5), std::chrono::milliseconds(250)));
    connect(m_watchdog, &QTimer::timeout, this, &RedisConnection::checkTimeouts);
}

RedisConnection::~RedisConnection()
{
    dropContext(u"the connection was closed"_s, RedisCode::kAbandoned);
}

void RedisConnection::setSubscription(const QByteArray &channel, std::function<void(const RedisValue &)> onMessage)
{
    m_channel = channel;
    m_onMessage = std::move(onMessage);
}

void RedisConnection::start()
{
    m_lastAttempt = nowNanos();
    m_setupError.clear();
    m_lostWhy.clear();
    m_subscribed = false;
    redisAsyncContext *c = m_url.socketPath.isEmpty() ? redisAsyncConnect(m_url.host.toUtf8().constData(), m_url.port)
                                                      : redisAsyncConnectUnix(m_url.socketPath.toUtf8().constData());
    if (!c)
        throw RedisError(RedisCode::kConnectFailed, u"cannot connect to %1: out of memory"_s.arg(maskedUrl()));
    if (c->err) {
        const QString why = QString::fromUtf8(c->errstr);
        redisAsyncFree(c);
        throw RedisError(RedisCode::kConnectFailed, u"cannot connect to %1: %2"_s.arg(maskedUrl(), why));
    }
    m_context = c;
    c->data = this;
    c->ev.data = this;
    c->ev.addRead = &RedisConnection::addRead;
    c->ev.delRead = &RedisConnection::delRead;
    c->ev.addWrite = &RedisConnection::addWrite;
    c->ev.delWrite = &RedisConnection::delWrite;
    c->ev.cleanup = &RedisConnection::cleanup;
    redisAsyncSetConnectCallback(c, &RedisConnection::onConnect);
    redisAsyncSetDisconnectCallback(c, &RedisConnection::onDisconnect);
    m_readNotifier = new QSocketNotifier(c->c.fd, QSocketNotifier::Read, this);
    m_writeNotifier = new QSocketNotifier(c->c.fd, QSocketNotifier::Write, this);
    m_readNotifier->setEnabled(false);
    m_writeNotifier->setEnabled(false);
    m_wantRead = m_wantWrite = false;
    connect(m_readNotifier, &QSocketNotifier::activated, this, [this, c] {
        if (m_context == c)
            redisAsyncHandleRead(c);
    });
    connect(m_writeNotifier, &QSocketNotifier::activated, this, [this, c] {
        if (m_context == c)
            redisAsyncHandleWrite(c);
    });

    // The set-up, in order, before anything else is sent: its failure fails the connection.
    const bool reconnect = m_everOpened;
    const auto check = [this](const QString &name) {
        return [this, name](RedisAnswer &answer) {
            if (!answer.ok() && m_setupError.isEmpty()) {
                m_setupError = name + u": "_s + answer.error;
                dropContext(m_setupError, answer.code == RedisCode::kServer ? RedisCode::kConnectFailed : answer.code);
            }
        };
    };
    if (!m_url.password.isEmpty()) {
        Command auth {"AUTH"};
        if (!m_url.user.isEmpty())
            auth.push_back(m_url.user.toUtf8());
        auth.push_back(m_url.password.toUtf8());
        sendRaw(auth, check(u"AUTH"_s));
    }
    if (m_url.database != 0)
        sendRaw({"SELECT", QByteArray::number(m_url.database)}, check(u"SELECT"_s));
    sendRaw({"CLIENT", "ID"}, [this, reconnect](RedisAnswer &answer) {
        if (!answer.ok()) {
            if (m_setupError.isEmpty()) {
                m_setupError = u"CLIENT ID: "_s + answer.error;
                dropContext(m_setupError, RedisCode::kConnectFailed);
            }
            return;
        }
        m_clientId = answer.value.integer;
        if (reconnect)
            Q_EMIT reconnected();
    });
    for (const Command &command : m_setup)
        sendRaw(command, check(commandName(command)));
    if (!m_channel.isEmpty()) {
        const char *argv[] = {"SUBSCRIBE", m_channel.constData()};
        const std::size_t lengths[] = {9, std::size_t(m_channel.size())};
        redisAsyncCommandArgv(c, &RedisConnection::onMessage, nullptr, 2, argv, lengths);
    }
}

void RedisConnection::open()
{
    if (!m_context)
        start();
    const std::int64_t deadline = nowNanos() + std::chrono::nanoseconds(m_timeout).count();
    waitUntil([this] { return m_queue.empty() && (m_channel.isEmpty() || m_subscribed); }, deadline);
    if (m_context && (!m_queue.empty() || (!m_channel.isEmpty() && !m_subscribed)))
        dropContext(u"no answer within %1 ms"_s.arg(m_timeout.count()), RedisCode::kTimeout);
    if (!m_context) {
        const QString why = !m_setupError.isEmpty() ? m_setupError
            : !m_lostWhy.isEmpty()                  ? m_lostWhy
                                                    : u"the connection closed"_s;
        throw RedisError(RedisCode::kConnectFailed, u"cannot connect to %1: %2"_s.arg(maskedUrl(), why));
    }
    m_everOpened = true;
}

bool RedisConnection::ensureConnected(Done &done)
{
    if (m_context)
        return true;
    RedisAnswer answer;
    answer.code = RedisCode::kConnectionLost;
    if (m_everOpened && nowNanos() - m_lastAttempt >= kReconnectEvery) {
        try {
            start();
            return true;
        } catch (const RedisError &error) {
            answer.error = QString::fromUtf8(error.what());
        }
    } else {
        answer.error = u"not connected to %1 (%2)"_s.arg(
            maskedUrl(), m_lostWhy.isEmpty() ? u"the connection closed"_s : m_lostWhy);
    }
    done(answer);
    return false;
}

void RedisConnection::send(const Command &command, Done done)
{
    if (ensureConnected(done))
        sendRaw(command, std::move(done));
}

void RedisConnection::sendRaw(const Command &command, Done done)
{
    std::vector<const char *> argv;
    std::vector<std::size_t> lengths;
    argv.reserve(command.size());
    lengths.reserve(command.size());
    for (const QByteArray &arg : command) {
        argv.push_back(arg.constData());
        lengths.push_back(std::size_t(arg.size()));
    }
    if (redisAsyncCommandArgv(
            m_context, &RedisConnection::onReply, nullptr, int(argv.size()), argv.data(), lengths.data())
        != REDIS_OK) {
        RedisAnswer answer;
        answer.error = u"%1 not sent: %2"_s.arg(commandName(command), QString::fromUtf8(m_context->errstr));
        answer.code = RedisCode::kConnectionLost;
        done(answer);
        return;
    }
    m_queue.push_back({std::move(done), nowNanos()});
    if (!m_watchdog->isActive())
        m_watchdog->start();
}

void RedisConnection::sendFormatted(const QByteArray &resp, Done done)
{
    if (!ensureConnected(done))
        return;
    if (redisAsyncFormattedCommand(
            m_context, &RedisConnection::onReply, nullptr, resp.constData(), std::size_t(resp.size()))
        != REDIS_OK) {
        RedisAnswer answer;
        answer.error = u"command not sent: %1"_s.arg(QString::fromUtf8(m_context->errstr));
        answer.code = RedisCode::kConnectionLost;
        done(answer);
        return;
    }
    m_queue.push_back({std::move(done), nowNanos()});
    if (!m_watchdog->isActive())
        m_watchdog->start();
}

RedisAnswer RedisConnection::execBlocking(const Command &command)
{
    struct State {
        bool done = false;
        RedisAnswer answer;
    };
    const auto state = std::make_shared<State>();
    send(command, [state](RedisAnswer &answer) {
        state->answer = std::move(answer);
        state->done = true;
    });
    waitUntil([&state] { return state->done; }, nowNanos() + std::chrono::nanoseconds(m_timeout).count());
    if (!state->done && m_context)
        dropContext(u"no answer within %1 ms"_s.arg(m_timeout.count()), RedisCode::kTimeout);
    if (!state->done) {
        RedisAnswer lost;
        lost.error = m_lostWhy.isEmpty() ? u"the connection closed"_s : m_lostWhy;
        lost.code = RedisCode::kConnectionLost;
        return lost;
    }
    return state->answer;
}

void RedisConnection::waitUntil(const std::function<bool()> &done, std::int64_t deadline)
{
    while (!done() && m_context) {
        const std::int64_t left = deadline - nowNanos();
        if (left <= 0)
            return;
        redisAsyncContext *c = m_context;
        pollfd fd {c->c.fd, short((m_wantRead ? POLLIN : 0) | (m_wantWrite ? POLLOUT : 0)), 0};
        const int ready = ::poll(&fd, 1, int(std::max<std::int64_t>(1, left / 1'000'000)));
        if (ready <= 0)
            continue;
        if (fd.revents & POLLOUT)
            redisAsyncHandleWrite(c);
        if (m_context == c && (fd.revents & (POLLIN | POLLHUP | POLLERR)))
            redisAsyncHandleRead(c);
    }
}

void RedisConnection::pollNow()
{
    redisAsyncContext *c = m_context;
    if (!c || !m_wantRead)
        return;
    pollfd fd {c->c.fd, POLLIN, 0};
    if (::poll(&fd, 1, 0) > 0 && (fd.revents & (POLLIN | POLLHUP | POLLERR)))
        redisAsyncHandleRead(c);
}

void RedisConnection::flushNow(std::chrono::nanoseconds olderThan)
{
    if (m_context && m_wantWrite && (olderThan.count() == 0 || nowNanos() - m_unsentSince >= olderThan.count()))
        redisAsyncHandleWrite(m_context);
}

bool RedisConnection::reconnect()
{
    if (m_context)
        return true;
    try {
        start();
        return true;
    } catch (const RedisError &error) {
        m_lostWhy = QString::fromUtf8(error.what());
        return false;
    }
}

void RedisConnection::abandon()
{
    if (!m_queue.empty())
        dropContext(u"given up at the phase's end"_s, RedisCode::kAbandoned);
}

void RedisConnection::checkTimeouts()
{
    if (m_queue.empty()) {
        m_watchdog->stop();
        return;
    }
    if (nowNanos() - m_queue.front().sentAt > std::chrono::nanoseconds(m_timeout).count())
        dropContext(u"%1 gave no answer within %2 ms"_s.arg(maskedUrl()).arg(m_timeout.count()), RedisCode::kTimeout);
}

void RedisConnection::detachNotifiers()
{
    for (QSocketNotifier *notifier : {m_readNotifier, m_writeNotifier}) {
        if (notifier) {
            notifier->setEnabled(false);
            notifier->deleteLater(); // maybe inside its own activated(): not deleted here
        }
    }
    m_readNotifier = m_writeNotifier = nullptr;
    m_wantRead = m_wantWrite = false;
}

void RedisConnection::dropContext(const QString &why, int code)
{
    redisAsyncContext *c = m_context;
    if (!c)
        return;
    // Detached first: what hiredis calls while it frees the context (now or, inside one of its
    // callbacks, once that returns) finds no connection and does nothing.
    c->data = nullptr;
    c->ev.data = nullptr;
    c->ev.addRead = c->ev.delRead = c->ev.addWrite = c->ev.delWrite = c->ev.cleanup = nullptr;
    c->onDisconnect = nullptr;
    c->onConnect = nullptr;
    detachNotifiers();
    m_context = nullptr;
    m_lostWhy = why;
    redisAsyncFree(c);
    failQueued(why, code);
    Q_EMIT lost(why);
}

void RedisConnection::failQueued(const QString &why, int code)
{
    std::deque<Pending> failed;
    failed.swap(m_queue);
    for (Pending &pending : failed) {
        RedisAnswer answer;
        answer.error = why;
        answer.code = code;
        answer.nanos = nowNanos() - pending.sentAt;
        pending.done(answer);
    }
}

void RedisConnection::connectionGone()
{
    // Inside hiredis' free of m_context (the server closed it, a read or write failed, the connect
    // failed): what waited fails from the event loop, once hiredis is done with the context.
    QString why = m_context ? QString::fromUtf8(m_context->c.errstr) : QString();
    if (why.isEmpty())
        why = u"the server closed the connection"_s;
    why = maskedUrl() + u": "_s + why;
    m_lostWhy = why;
    m_context->data = nullptr;
    detachNotifiers();
    m_context = nullptr;
    auto failed = std::make_shared<std::deque<Pending>>();
    failed->swap(m_queue);
    QMetaObject::invokeMethod(
        this,
        [this, failed, why] {
            for (Pending &pending : *failed) {
                RedisAnswer answer;
                answer.error = why;
                answer.code = RedisCode::kConnectionLost;
                pending.done(answer);
            }
            Q_EMIT lost(why);
        },
        Qt::QueuedConnection);
}

void RedisConnection::onReply(redisAsyncContext *context, void *reply, void *)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    // A dropped context is detached (data null); the NULL replies of a free come before its
    // cleanup hook, connectionGone(), which fails what waited.
    if (!self || !reply || self->m_queue.empty())
        return;
    Pending pending = std::move(self->m_queue.front());
    self->m_queue.pop_front();
    RedisAnswer answer;
    answer.nanos = nowNanos() - pending.sentAt;
    answer.value = convert(static_cast<const redisReply *>(reply));
    if (answer.value.type == RedisValue::Type::Error) {
        answer.error = QString::fromUtf8(answer.value.text);
        answer.code = RedisCode::kServer;
    }
    pending.done(answer);
}

void RedisConnection::onMessage(redisAsyncContext *context, void *reply, void *)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self || !reply)
        return;
    const RedisValue value = convert(static_cast<const redisReply *>(reply));
    if (value.type != RedisValue::Type::Array || value.elements.size() < 3)
        return;
    const QByteArray &kind = value.elements[0].text;
    if (kind == "subscribe") {
        self->m_subscribed = true;
    } else if (kind == "message" && self->m_onMessage) {
        self->m_onMessage(value.elements[2]);
    }
}

void RedisConnection::onConnect(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (self && status != REDIS_OK)
        self->m_lostWhy = QString::fromUtf8(context->errstr); // hiredis frees the context next
}

void RedisConnection::onDisconnect(const redisAsyncContext *, int)
{
    // connectionGone() (the cleanup hook, called first) has done the work.
}

void RedisConnection::addRead(void *self)
{
    auto *connection = static_cast<RedisConnection *>(self);
    connection->m_wantRead = true;
    if (connection->m_readNotifier)
        connection->m_readNotifier->setEnabled(true);
}

void RedisConnection::delRead(void *self)
{
    auto *connection = static_cast<RedisConnection *>(self);
    connection->m_wantRead = false;
    if (connection->m_readNotifier)
        connection->m_readNotifier->setEnabled(false);
}

void RedisConnection::addWrite(void *self)
{
    auto *connection = static_cast<RedisConnection *>(self);
    if (!connection->m_wantWrite)
        connection->m_unsentSince = nowNanos();
    connection->m_wantWrite = true;
    if (connection->m_writeNotifier)
        connection->m_writeNotifier->setEnabled(true);
}

void RedisConnection::delWrite(void *self)
{
    auto *connection = static_cast<RedisConnection *>(self);
    connection->m_wantWrite = false;
    if (connection->m_writeNotifier)
        connection->m_writeNotifier->setEnabled(false);
}

void RedisConnection::cleanup(void *self)
{
    if (self)
        static_cast<RedisConnection *>(self)->connectionGone();
}

} // namespace cachescope
