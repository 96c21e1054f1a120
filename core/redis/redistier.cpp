#include "core/redis/redistier.h"

#include <QTimer>

#include <cstring>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {
constexpr char kTag[] = "CSr1"; // what every value CacheScope stores starts with
constexpr qsizetype kTagSize = 4;
const QByteArray kInvalidateChannel = QByteArrayLiteral("__redis__:invalidate");
} // namespace

QString toString(L2Tracking tracking)
{
    switch (tracking) {
    case L2Tracking::Broadcast:
        return u"bcast"_s;
    case L2Tracking::Off:
        return u"off"_s;
    case L2Tracking::Keys:
        break;
    }
    return u"keys"_s;
}

RedisTier::RedisTier(RedisTierConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_data(new RedisConnection(m_config.url, m_config.timeout, this))
{
    connect(m_data, &RedisConnection::lost, this, [this] { trackingLost(); });
}

RedisTier::~RedisTier() = default;

QByteArray RedisTier::encode(const QByteArray &row)
{
    QByteArray out;
    out.reserve(kTagSize + row.size());
    out.append(kTag, kTagSize);
    out.append(row);
    return out;
}

std::optional<QByteArray> RedisTier::decode(const QByteArray &stored)
{
    if (stored.size() < kTagSize || std::memcmp(stored.constData(), kTag, kTagSize) != 0)
        return std::nullopt;
    return stored.mid(kTagSize);
}

QByteArray RedisTier::keyOf(std::int64_t key) const
{
    return m_config.prefix + QByteArray::number(qlonglong(key));
}

RedisConnection::Command RedisTier::trackingCommand() const
{
    RedisConnection::Command command {
        "CLIENT", "TRACKING", "ON", "REDIRECT", QByteArray::number(m_invalidations ? m_invalidations->clientId() : 0)};
    if (m_config.tracking == L2Tracking::Broadcast) {
        command.push_back("BCAST");
        command.push_back("PREFIX");
        command.push_back(m_config.prefix);
    }
    // The instance's own writes are not told back to it: it has already dropped its own copy.
    command.push_back("NOLOOP");
    return command;
}

void RedisTier::open()
{
    if (m_config.tracking != L2Tracking::Off) {
        m_invalidations = new RedisConnection(m_config.url, m_config.timeout, this);
        m_invalidations->setSubscription(
            kInvalidateChannel, [this](const RedisValue &payload) { onInvalidation(payload); });
        m_invalidations->open();
        connect(m_invalidations, &RedisConnection::lost, this, [this] { trackingLost(); });
        // A new invalidation connection has a new id: the data connection redirects to it, and
        // what L1 took in while neither was told of writes goes.
        connect(m_invalidations, &RedisConnection::reconnected, this, [this] {
            m_data->setSetup({trackingCommand()});
            m_data->send({"CLIENT", "TRACKING", "OFF"}, [](RedisAnswer &) {});
            m_data->send(trackingCommand(), [this](RedisAnswer &answer) {
                if (!answer.ok())
                    m_stats.errors.fetch_add(1, std::memory_order_relaxed);
            });
            if (m_handler) {
                m_stats.flushes.fetch_add(1, std::memory_order_relaxed);
                m_handler(-1);
            }
        });
        m_reconnect = new QTimer(this);
        m_reconnect->setInterval(500);
        connect(m_reconnect, &QTimer::timeout, this, [this] {
            if (!m_invalidations->isBroken() || m_invalidations->reconnect())
                m_reconnect->stop();
        });
        m_data->setSetup({trackingCommand()});
    }
    m_data->open();
}

void RedisTier::trackingLost()
{
    // The server forgets what a closed connection read, and what a closed subscriber was to be
    // told: L1 can no longer learn of other instances' writes to what it holds.
    if (m_config.tracking == L2Tracking::Off)
        return;
    if (m_handler) {
        m_stats.flushes.fetch_add(1, std::memory_order_relaxed);
        m_handler(-1);
    }
    if (m_invalidations && m_invalidations->isBroken() && m_reconnect && !m_reconnect->isActive())
        m_reconnect->start();
}

void RedisTier::onInvalidation(const RedisValue &payload)
{
    if (!m_handler)
        return;
    if (payload.type != RedisValue::Type::Array) {
        // A nil payload: the server flushed its keys (FLUSHALL, FLUSHDB).
        m_stats.flushes.fetch_add(1, std::memory_order_relaxed);
        m_handler(-1);
        return;
    }
    for (const RedisValue &element : payload.elements) {
        if (!element.text.startsWith(m_config.prefix))
            continue;
        bool ok = false;
        const qlonglong key = element.text.mid(m_config.prefix.size()).toLongLong(&ok);
        if (!ok)
            continue;
        m_stats.invalidations.fetch_add(1, std::memory_order_relaxed);
        m_handler(key);
    }
}

void RedisTier::setInvalidationHandler(std::function<void(std::int64_t)> handler)
{
    m_handler = std::move(handler);
}

void RedisTier::get(std::int64_t key, std::function<void(SharedRead &)> done)
{
    m_data->send({"GET", keyOf(key)}, [this, done = std::move(done)](RedisAnswer &answer) {
        SharedRead read;
        read.nanos = answer.nanos;
        if (!answer.ok()) {
            m_stats.errors.fetch_add(1, std::memory_order_relaxed);
            read.status = SharedRead::Status::Failed;
            read.error = answer.error;
        } else if (answer.value.type == RedisValue::Type::String) {
            m_stats.gets.fetch_add(1, std::memory_order_relaxed);
            if (std::optional<QByteArray> row = decode(answer.value.text)) {
                m_stats.hits.fetch_add(1, std::memory_order_relaxed);
                read.status = SharedRead::Status::Hit;
                read.value = std::move(*row);
            } else {
                m_stats.foreign.fetch_add(1, std::memory_order_relaxed);
                read.status = SharedRead::Status::Miss;
            }
        } else {
            m_stats.gets.fetch_add(1, std::memory_order_relaxed);
            read.status = SharedRead::Status::Miss;
        }
        done(read);
    });
}

void RedisTier::put(std::int64_t key, const QByteArray &value, bool urgent)
{
    RedisConnection::Command set {"SET", keyOf(key), encode(value)};
    if (m_config.ttl.count() > 0) {
        set.push_back("PX");
        set.push_back(QByteArray::number(
            std::max<qlonglong>(1, std::chrono::duration_cast<std::chrono::milliseconds>(m_config.ttl).count())));
    }
    const auto counted = [this](RedisAnswer &answer) {
        if (!answer.ok())
            m_stats.errors.fetch_add(1, std::memory_order_relaxed);
    };
    m_stats.puts.fetch_add(1, std::memory_order_relaxed);
    m_data->send(set, counted);
    // The write ended the server's tracking of the key for every reader, this one too (NOLOOP only
    // keeps it from being told): a read, in the same pipeline, tracks it again.
    if (m_config.tracking == L2Tracking::Keys)
        m_data->send({"EXISTS", set[1]}, counted);
    if (urgent)
        m_data->flushNow();
}

void RedisTier::remove(std::int64_t key)
{
    m_stats.removes.fetch_add(1, std::memory_order_relaxed);
    m_data->send({"DEL", keyOf(key)}, [this](RedisAnswer &answer) {
        if (!answer.ok())
            m_stats.errors.fetch_add(1, std::memory_order_relaxed);
    });
    // A write's invalidation leaves now: every moment it waits, other instances read the old row.
    m_data->flushNow();
}

void RedisTier::setPrefix(const QByteArray &prefix)
{
    if (prefix == m_config.prefix)
        return;
    m_config.prefix = prefix;
    if (m_config.tracking != L2Tracking::Broadcast)
        return;
    m_data->setSetup({trackingCommand()});
    const auto counted = [this](RedisAnswer &answer) {
        if (!answer.ok())
            m_stats.errors.fetch_add(1, std::memory_order_relaxed);
    };
    m_data->send({"CLIENT", "TRACKING", "OFF"}, counted);
    m_data->send(trackingCommand(), counted);
}

void RedisTier::abandon()
{
    m_data->abandon();
}

std::int64_t RedisTier::clear()
{
    // SCAN the prefix; of what it finds, only CacheScope rows are deleted (a key that is not ours
    // stays, whatever its name).
    std::int64_t deleted = 0;
    QByteArray cursor = "0";
    const QByteArray pattern = m_config.prefix + '*';
    do {
        const RedisAnswer page = m_data->execBlocking({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
        if (!page.ok() || page.value.elements.size() != 2)
            break;
        cursor = page.value.elements[0].text;
        for (const RedisValue &name : page.value.elements[1].elements) {
            const RedisAnswer head
                = m_data->execBlocking({"GETRANGE", name.text, "0", QByteArray::number(kTagSize - 1)});
            if (head.ok() && head.value.text == QByteArray(kTag, kTagSize)) {
                const RedisAnswer gone = m_data->execBlocking({"UNLINK", name.text});
                if (gone.ok())
                    deleted += gone.value.integer;
            }
        }
    } while (cursor != "0");
    return deleted;
}

QByteArray RedisTier::info(const QByteArray &section)
{
    const RedisAnswer answer = m_data->execBlocking({"INFO", section});
    return answer.ok() ? answer.value.text : QByteArray();
}

} // namespace cachescope
