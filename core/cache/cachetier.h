#pragma once

#include "core/cache/cachestats.h"
#include "core/cache/clock.h"
#include "core/cache/evictionpolicy.h"

#include <QByteArray>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace cachescope {

/// Configuration of one cache tier.
struct CacheTierConfig {
    std::size_t capacity = 10000; ///< most entries held; 0 holds nothing
    std::chrono::nanoseconds ttl {0}; ///< time an entry stays valid after it is put; 0 = no expiry
    unsigned shards = 0; ///< independent lock domains (power of two); 0 chooses from the capacity
    QString policy = QStringLiteral("lru"); ///< eviction policy, one of EvictionPolicy::names()
};

/// One thread-safe cache tier: integer keys, encoded rows as values, a pluggable eviction policy
/// (LRU, S3-FIFO, W-TinyLFU, SIEVE, FIFO) and a TTL.
///
/// The key space is split over shards (each with its own lock, its own policy instance and an
/// equal part of the capacity) so that threads hitting different keys do not serialise. With one
/// shard the policy sees every request (LRU is then exact LRU); with several it decides within
/// each shard. A full shard evicts before it inserts, as the reference simulators do. An expired
/// entry is never returned: it is dropped when it is next looked at.
class CacheTier {
public:
    explicit CacheTier(const CacheTierConfig &config, std::shared_ptr<const Clock> clock = SteadyClock::instance());
    CacheTier(const CacheTier &) = delete;
    CacheTier &operator=(const CacheTier &) = delete;

    /// The value for \a key if resident and not expired (and marks it most recently used).
    std::optional<QByteArray> get(std::int64_t key);
    /// Inserts or replaces \a key; when its shard is full, the policy evicts an entry first.
    void put(std::int64_t key, QByteArray value);
    /// Removes \a key; true when it was resident.
    bool remove(std::int64_t key);
    /// Removes every entry.
    void clear();

    std::size_t size() const;
    std::size_t capacity() const { return m_capacity; }
    std::chrono::nanoseconds ttl() const { return m_ttl; }
    QString policy() const { return m_policy; }
    unsigned shardCount() const { return unsigned(m_shards.size()); }
    /// Counters summed over all shards.
    CacheStats stats() const;

    /// The shard count chosen for a capacity when the config leaves it at 0.
    static unsigned defaultShards(std::size_t capacity);

private:
    struct Entry {
        std::int64_t key = 0;
        QByteArray value;
        std::int64_t expiresAt = 0; // clock nanos; 0 = never
    };
    struct alignas(64) Shard {
        mutable std::mutex mutex;
        std::unordered_map<std::int64_t, Slot> index; // key → slot in entries
        std::vector<Entry> entries; // by slot
        std::vector<Slot> freeSlots;
        std::unique_ptr<EvictionPolicy> policy;
        std::size_t capacity = 0;
        CacheStats stats;

        // Frees a slot that the policy no longer tracks; the value is moved out to be released
        // after the lock.
        QByteArray release(Slot slot);
    };

    Shard &shardFor(std::uint64_t hash);

    std::vector<std::unique_ptr<Shard>> m_shards;
    std::size_t m_capacity;
    std::chrono::nanoseconds m_ttl;
    QString m_policy;
    std::uint64_t m_shardMask;
    std::shared_ptr<const Clock> m_clock;
};

} // namespace cachescope
