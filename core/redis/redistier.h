#pragma once

#include "core/cache/sharedtier.h"
#include "core/redis/redisconnection.h"

#include <QByteArray>
#include <QObject>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>

class QTimer;

namespace cachescope {

/// Counters of one worker's Redis tier (its thread writes, any thread reads).
struct RedisTierStats {
    std::atomic<std::uint64_t> gets {0}; ///< GETs answered (hits + misses)
    std::atomic<std::uint64_t> hits {0}; ///< of which found a CacheScope row
    std::atomic<std::uint64_t> errors {0}; ///< commands that failed (not sent, lost, timed out, refused)
    std::atomic<std::uint64_t> puts {0}; ///< SETs sent (fills, write-through)
    std::atomic<std::uint64_t> removes {0}; ///< DELs sent (writes under the invalidate policy)
    std::atomic<std::uint64_t> invalidations {0}; ///< keys the server told this instance of
    std::atomic<std::uint64_t> flushes {0}; ///< L1 flushed because tracking was lost (a connection broke)
    std::atomic<std::uint64_t> foreign {0}; ///< values under the prefix that are not CacheScope rows
};

/// What a Redis tier needs.
struct RedisTierConfig {
    RedisUrl url; ///< the server
    QByteArray prefix; ///< every key this tier writes or reads starts with it
    std::chrono::nanoseconds ttl {0}; ///< SET ... PX (0 = no expiry)
    std::chrono::milliseconds timeout {2000}; ///< connect and command timeout
    L2Tracking tracking = L2Tracking::Keys; ///< how other instances' writes reach L1
};

/// A Redis server as one engine worker's shared L2 (SharedTier): a data connection whose GETs,
/// SETs and DELs are pipelined by hiredis on the worker's event loop, and, with tracking, an
/// invalidation connection subscribed to `__redis__:invalidate` that the data connection's
/// CLIENT TRACKING redirects to. Values are CacheScope rows behind a 4-byte tag ("CSr1"), so data
/// that is not CacheScope's is never taken for a row. A lost connection flushes L1 (the server
/// no longer tracks what it read) and reconnects.
class RedisTier : public QObject, public SharedTier {
    Q_OBJECT
public:
    /// service() writes out commands that have waited this long to leave.
    static constexpr std::chrono::microseconds kFlushAfter {50};
    explicit RedisTier(RedisTierConfig config, QObject *parent = nullptr);
    ~RedisTier() override;

    /// Connects both connections (blocking, on the worker's thread) and turns tracking on;
    /// throws RedisError naming the server and the reason.
    void open();

    void get(std::int64_t key, std::function<void(SharedRead &)> done) override;
    void put(std::int64_t key, const QByteArray &value, std::optional<std::int64_t> version, bool urgent) override;
    void remove(std::int64_t key, std::optional<std::int64_t> version) override;
    void setInvalidationHandler(std::function<void(std::int64_t key)> handler) override;
    void service() override
    {
        // Commands leave together when the event loop turns; only those a busy worker has kept
        // waiting are pushed out here (a write per request would cost more than the requests).
        m_data->flushNow(kFlushAfter);
        if (m_invalidations)
            m_invalidations->pollNow();
    }

    /// From now on keys start with \a prefix (a phase's own namespace); with bcast tracking the
    /// server is told, in the pipeline, before any command that follows.
    void setPrefix(const QByteArray &prefix);
    QByteArray prefix() const { return m_config.prefix; }
    /// Gives up on the commands in flight (the phase has ended and the server does not answer).
    void abandon();
    /// Deletes the keys under \a prefix (default: this tier's) that hold CacheScope values
    /// (blocking; one round-trip per 1,000 keys). Returns how many.
    std::int64_t clear(const QByteArray &prefix = QByteArray());
    /// The server's INFO section \a section as "name:value" lines (blocking); empty on failure.
    QByteArray info(const QByteArray &section);

    const RedisTierStats &stats() const { return m_stats; }
    QByteArray keyOf(std::int64_t key) const;
    RedisConnection &data() { return *m_data; }

    /// A row as the tier stores it (with its version, when it has one), and back (nullopt: not a
    /// CacheScope row — a tombstone, or somebody else's value).
    static QByteArray encode(const QByteArray &row, std::optional<std::int64_t> version = std::nullopt);
    static std::optional<QByteArray> decode(const QByteArray &stored);
    /// What a write under the invalidate policy leaves: no row, and no fill older than \a version.
    static QByteArray tombstone(std::int64_t version);
    enum class Stored : std::uint8_t { Row, Tombstone, Foreign };
    static Stored classify(const QByteArray &stored, QByteArray *row);
    /// Where a stored row's bytes begin (after its tag and version); -1 when it is no row.
    static qsizetype rowOffset(const QByteArray &stored);
    /// True when \a head (a value's first 4 bytes or more) is one CacheScope writes.
    static bool isOwnValue(const QByteArray &head);

private:
    void onInvalidation(const RedisValue &payload);
    void trackingLost();
    RedisConnection::Command trackingCommand() const;
    std::vector<RedisConnection::Command> setupCommands() const;
    QByteArray ttlMillis() const;
    void send(const RedisConnection::Command &command, bool urgent);

    RedisTierConfig m_config;
    RedisConnection *m_data;
    QByteArray m_putSha; // SHA-1 of the versioned put's script
    RedisConnection *m_invalidations = nullptr;
    QTimer *m_reconnect = nullptr;
    std::function<void(std::int64_t)> m_handler;
    RedisTierStats m_stats;
};

/// Parses cache.l2.tracking's names (keys, bcast, off).
QString toString(L2Tracking tracking);

} // namespace cachescope
