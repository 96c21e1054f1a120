#include "core/redis/redistier.h"

#include <QCryptographicHash>
#include <QTimer>

#include <cstring>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {
// What every value CacheScope stores starts with: a row ("CSr1" + row), a row with its version
// ("CSv1" + version + '\n' + row) or a write's tombstone ("CSt1" + version: no row, and no fill
// of an older one).
constexpr char kRowTag[] = "CSr1";
constexpr char kVersionedTag[] = "CSv1";
constexpr char kTombstoneTag[] = "CSt1";
constexpr qsizetype kTagSize = 4;
const QByteArray kInvalidateChannel = QByteArrayLiteral("__redis__:invalidate");

// A versioned put: refused when the server holds a newer version of the key (a write's tombstone
// or a fresher row), so a fill that overlapped a write can never land after the write's
// invalidation. The EXISTS at the end tracks the key again for the caller (CLIENT TRACKING stops
// tracking a key its own write changed), inside the same atomic step.
const QByteArray kPutScript = QByteArrayLiteral("local cur = redis.call('GET', KEYS[1])\n"
                                                "if cur then\n"
                                                "  local v = string.match(cur, '^CS[vt]1(%-?%d+)')\n"
                                                "  if v and tonumber(v) > tonumber(ARGV[2]) then\n"
                                                "    redis.call('EXISTS', KEYS[1])\n"
                                                "    return 0\n"
                                                "  end\n"
                                                "end\n"
                                                "if ARGV[3] == '0' then redis.call('SET', KEYS[1], ARGV[1]) else "
                                                "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3]) end\n"
                                                "redis.call('EXISTS', KEYS[1])\n"
                                                "return 1\n");

bool startsWith(const QByteArray &stored, const char *tag)
{
    return stored.size() >= kTagSize && std::memcmp(stored.constData(), tag, kTagSize) == 0;
}
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
    , m_putSha(QCryptographicHash::hash(kPutScript, QCryptographicHash::Sha1).toHex())
{
    connect(m_data, &RedisConnection::lost, this, [this] { trackingLost(); });
}

RedisTier::~RedisTier() = default;

QByteArray RedisTier::encode(const QByteArray &row, std::optional<std::int64_t> version)
{
    QByteArray out;
    out.reserve(kTagSize + row.size() + (version ? 21 : 0));
    if (version) {
        out.append(kVersionedTag, kTagSize);
        out.append(QByteArray::number(qlonglong(*version)));
        out.append('\n');
    } else {
        out.append(kRowTag, kTagSize);
    }
    out.append(row);
    return out;
}

QByteArray RedisTier::tombstone(std::int64_t version)
{
    return QByteArray(kTombstoneTag, kTagSize) + QByteArray::number(qlonglong(version));
}

qsizetype RedisTier::rowOffset(const QByteArray &stored)
{
    if (startsWith(stored, kRowTag))
        return kTagSize;
    if (startsWith(stored, kVersionedTag)) {
        const qsizetype end = stored.indexOf('\n', kTagSize);
        return end < 0 ? -1 : end + 1;
    }
    return -1;
}

RedisTier::Stored RedisTier::classify(const QByteArray &stored, QByteArray *row)
{
    if (startsWith(stored, kRowTag)) {
        if (row)
            *row = stored.mid(kTagSize);
        return Stored::Row;
    }
    if (startsWith(stored, kVersionedTag)) {
        const qsizetype end = stored.indexOf('\n', kTagSize);
        if (end < 0)
            return Stored::Foreign;
        if (row)
            *row = stored.mid(end + 1);
        return Stored::Row;
    }
    if (startsWith(stored, kTombstoneTag))
        return Stored::Tombstone;
    return Stored::Foreign;
}

std::optional<QByteArray> RedisTier::decode(const QByteArray &stored)
{
    QByteArray row;
    if (classify(stored, &row) != Stored::Row)
        return std::nullopt;
    return row;
}

bool RedisTier::isOwnValue(const QByteArray &head)
{
    return startsWith(head, kRowTag) || startsWith(head, kVersionedTag) || startsWith(head, kTombstoneTag);
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

std::vector<RedisConnection::Command> RedisTier::setupCommands() const
{
    // The versioned put's script (EVALSHA: it is sent once per connection, not with each put).
    std::vector<RedisConnection::Command> commands {{"SCRIPT", "LOAD", kPutScript}};
    if (m_config.tracking != L2Tracking::Off)
        commands.push_back(trackingCommand());
    return commands;
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
            m_data->setSetup(setupCommands());
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
    }
    m_data->setSetup(setupCommands());
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
    // GET in RESP form, made here: the request path's one command.
    const QByteArray name = keyOf(key);
    QByteArray resp;
    resp.reserve(24 + name.size());
    resp.append("*2\r\n$3\r\nGET\r\n$")
        .append(QByteArray::number(name.size()))
        .append("\r\n")
        .append(name)
        .append("\r\n");
    m_data->sendFormatted(resp, [this, done = std::move(done)](RedisAnswer &answer) {
        SharedRead read;
        read.nanos = answer.nanos;
        if (!answer.ok()) {
            m_stats.errors.fetch_add(1, std::memory_order_relaxed);
            read.status = SharedRead::Status::Failed;
            read.error = answer.error;
        } else if (answer.value.type == RedisValue::Type::String) {
            m_stats.gets.fetch_add(1, std::memory_order_relaxed);
            const Stored kind = classify(answer.value.text, nullptr);
            if (kind == Stored::Row) {
                m_stats.hits.fetch_add(1, std::memory_order_relaxed);
                read.status = SharedRead::Status::Hit;
                // The row in place: the tag (and version) taken off the front, no second copy.
                read.value = std::move(answer.value.text);
                read.value.remove(0, rowOffset(read.value));
            } else {
                if (kind == Stored::Foreign)
                    m_stats.foreign.fetch_add(1, std::memory_order_relaxed);
                read.status = SharedRead::Status::Miss; // a tombstone: a write's, the row must be read
            }
        } else {
            m_stats.gets.fetch_add(1, std::memory_order_relaxed);
            read.status = SharedRead::Status::Miss;
        }
        done(read);
    });
}

QByteArray RedisTier::ttlMillis() const
{
    return m_config.ttl.count() > 0 ? QByteArray::number(
               std::max<qlonglong>(1, std::chrono::duration_cast<std::chrono::milliseconds>(m_config.ttl).count()))
                                    : QByteArray("0");
}

void RedisTier::send(const RedisConnection::Command &command, bool urgent)
{
    m_data->send(command, [this](RedisAnswer &answer) {
        if (!answer.ok())
            m_stats.errors.fetch_add(1, std::memory_order_relaxed);
    });
    if (urgent)
        m_data->flushNow();
}

void RedisTier::put(std::int64_t key, const QByteArray &value, std::optional<std::int64_t> version, bool urgent)
{
    m_stats.puts.fetch_add(1, std::memory_order_relaxed);
    const QByteArray name = keyOf(key);
    if (version) {
        // Not over a newer version (a write's tombstone, a fresher row), and tracked again.
        send({"EVALSHA", m_putSha, "1", name, encode(value, version), QByteArray::number(qlonglong(*version)),
                 ttlMillis()},
            urgent);
        return;
    }
    RedisConnection::Command set {"SET", name, encode(value)};
    if (m_config.ttl.count() > 0) {
        set.push_back("PX");
        set.push_back(ttlMillis());
    }
    send(set, false);
    // The write ended the server's tracking of the key for every reader, this one too (NOLOOP only
    // keeps it from being told): a read, in the same pipeline, tracks it again.
    if (m_config.tracking == L2Tracking::Keys)
        send({"EXISTS", name}, false);
    if (urgent)
        m_data->flushNow();
}

void RedisTier::remove(std::int64_t key, std::optional<std::int64_t> version)
{
    m_stats.removes.fetch_add(1, std::memory_order_relaxed);
    // A write's invalidation leaves now: every moment it waits, other instances read the old row.
    // With the row's new version it is a tombstone, which no fill of an older row overwrites.
    if (version)
        send({"EVALSHA", m_putSha, "1", keyOf(key), tombstone(*version), QByteArray::number(qlonglong(*version)),
                 ttlMillis()},
            true);
    else
        send({"DEL", keyOf(key)}, true);
}

void RedisTier::setPrefix(const QByteArray &prefix)
{
    if (prefix == m_config.prefix)
        return;
    m_config.prefix = prefix;
    if (m_config.tracking != L2Tracking::Broadcast)
        return;
    m_data->setSetup(setupCommands());
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

std::int64_t RedisTier::clear(const QByteArray &prefix)
{
    // SCAN the prefix, a page at a time; of what a page finds, one script deletes the keys that
    // hold CacheScope values (a key that is not ours stays, whatever its name): one round-trip a
    // page, not three a key.
    static const QByteArray script
        = QByteArrayLiteral("local n = 0\n"
                            "for _, k in ipairs(KEYS) do\n"
                            "  local h = redis.pcall('GETRANGE', k, 0, 3)\n"
                            "  if type(h) == 'string' and (h == 'CSr1' or h == 'CSv1' or h == 'CSt1') then\n"
                            "    n = n + redis.call('UNLINK', k)\n"
                            "  end\n"
                            "end\n"
                            "return n\n");
    std::int64_t deleted = 0;
    QByteArray cursor = "0";
    const QByteArray pattern = (prefix.isNull() ? m_config.prefix : prefix) + '*';
    do {
        const RedisAnswer page = m_data->execBlocking({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
        if (!page.ok() || page.value.elements.size() != 2)
            break;
        cursor = page.value.elements[0].text;
        const std::vector<RedisValue> &names = page.value.elements[1].elements;
        if (names.empty())
            continue;
        RedisConnection::Command eval {"EVAL", script, QByteArray::number(qsizetype(names.size()))};
        for (const RedisValue &name : names)
            eval.push_back(name.text);
        const RedisAnswer gone = m_data->execBlocking(eval);
        if (gone.ok())
            deleted += gone.value.integer;
    } while (cursor != "0");
    return deleted;
}

QByteArray RedisTier::info(const QByteArray &section)
{
    const RedisAnswer answer = m_data->execBlocking({"INFO", section});
    return answer.ok() ? answer.value.text : QByteArray();
}

} // namespace cachescope
