#pragma once

#include "core/cache/cachestats.h"
#include "core/cache/clock.h"
#include "core/cache/evictionpolicy.h"
#include "core/cache/spinlock.h"

#include <QByteArray>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace cachescope {

/// Decides whether a cached value can answer a read — e.g. a cached row that holds every column a
/// projection asks for. A plain function pointer and context, so passing one costs nothing.
struct ValueFilter {
    bool (*accepts)(const void *context, const QByteArray &value) = nullptr;
    const void *context = nullptr;
    bool operator()(const QByteArray &value) const { return accepts(context, value); }
};

/// Configuration of one cache tier.
struct CacheTierConfig {
    std::size_t capacity = 10000; ///< most entries held; 0 holds nothing
    std::chrono::nanoseconds ttl {0}; ///< time an entry stays valid after it is put; 0 = no expiry
    unsigned shards = 0; ///< independent lock domains (power of two); 0 chooses from the capacity
    QString policy = QStringLiteral("lru"); ///< eviction policy, one of EvictionPolicy::names()
    std::size_t maxBytes = 0; ///< most bytes held (key + value + kEntryOverhead each); 0 = no byte limit
    double ttlJitter = 0.0; ///< each entry's TTL is shortened by a random share up to this (0 … 0.5)
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
    /// Bytes an entry is charged beyond its key and value: the slot's bookkeeping, the index
    /// node and the value's header, rounded (see docs/benchmarks.md for the measured figure).
    static constexpr std::size_t kEntryOverhead = 104;

    explicit CacheTier(const CacheTierConfig &config, std::shared_ptr<const Clock> clock = SteadyClock::instance());
    CacheTier(const CacheTier &) = delete;
    CacheTier &operator=(const CacheTier &) = delete;

    /// A resident entry as read.
    struct Hit {
        QByteArray value; ///< the cached value
        std::int64_t expiresAt = 0; ///< clock nanos after which it is stale; 0 = never
    };
    /// An entry pushed out by put() or a shrink.
    struct Evicted {
        std::int64_t key = 0; ///< its key
        QByteArray value; ///< its value
        std::int64_t expiresAt = 0; ///< as in Hit
        std::int64_t notAfter = 0; ///< the deadline it was put with (0 = none)
    };

    /// The value for \a key if resident and not expired (and tells the policy about the hit).
    std::optional<QByteArray> get(std::int64_t key);
    /// As get(), with the entry's expiry. With a \a filter, a resident value it rejects counts as a
    /// miss (and is left in place, untouched by the policy): the caller loads what it needs.
    std::optional<Hit> lookup(std::int64_t key, const ValueFilter *filter = nullptr);
    /// Inserts or replaces \a key; when its shard is full, the policy evicts an entry first.
    /// The entry expires after the tier's TTL, and never later than \a notAfter (clock nanos,
    /// 0 = no limit) — how a value moved between tiers keeps its original deadline. Entries
    /// evicted to make room are appended to \a evicted when given.
    void put(std::int64_t key, QByteArray value, std::int64_t notAfter = 0, std::vector<Evicted> *evicted = nullptr);
    /// True when \a key is resident and fresh; neither the policy nor the stats notice.
    bool contains(std::int64_t key) const;
    /// Removes \a key; true when it was resident.
    bool remove(std::int64_t key);
    /// Removes \a key and returns it if it was resident and fresh.
    std::optional<Hit> take(std::int64_t key);

    /// Live reconfiguration, safe while other threads use the tier. A smaller capacity evicts
    /// down to it through the policy (victims appended to \a evicted when given); a new TTL
    /// applies to resident entries too (measured from when each was put); a new policy takes
    /// over the resident entries.
    void setCapacity(std::size_t capacity, std::vector<Evicted> *evicted = nullptr);
    void setTtl(std::chrono::nanoseconds ttl);
    void setMaxBytes(std::size_t maxBytes, std::vector<Evicted> *evicted = nullptr);
    void setPolicy(const QString &policy);
    /// Drops every expired entry now (the lazy check drops them when they are next read).
    std::size_t sweepExpired();
    /// Removes every entry.
    void clear();

    std::size_t size() const;
    std::size_t capacity() const { return m_capacity.load(); }
    std::size_t maxBytes() const { return m_maxBytes.load(); }
    std::chrono::nanoseconds ttl() const { return std::chrono::nanoseconds(m_ttl.load()); }
    QString policy() const;
    const Clock &clock() const { return *m_clock; }
    unsigned shardCount() const { return unsigned(m_shards.size()); }
    /// Counters summed over all shards.
    CacheStats stats() const;

    /// The shard count chosen for a capacity when the config leaves it at 0.
    static unsigned defaultShards(std::size_t capacity);

private:
    struct Entry {
        std::int64_t key = 0;
        QByteArray value;
        std::int64_t insertedAt = 0; // clock nanos
        std::int64_t notAfter = 0; // clock nanos; 0 = no limit beyond the TTL
        float ttlScale = 1.0f; // 1 − this entry's jitter
    };
    struct alignas(64) Shard {
        mutable detail::SpinLock mutex;
        std::unordered_map<std::int64_t, Slot> index; // key → slot in entries
        std::vector<Entry> entries; // by slot
        std::vector<Slot> freeSlots;
        std::unique_ptr<EvictionPolicy> policy;
        std::size_t capacity = 0;
        std::size_t maxBytes = 0; // 0 = no byte limit
        std::size_t bytes = 0;
        std::uint64_t jitterState = 0; // xorshift state for TTL jitter
        CacheStats stats;

        // Frees a slot that the policy no longer tracks; the entry is moved out (so that its
        // value is released after the lock).
        Entry release(Slot slot);
    };

    Shard &shardFor(std::uint64_t hash);
    std::int64_t expiryOf(const Entry &entry) const;
    // Evicts from a locked shard until it holds at most `limit` entries and `byteLimit` bytes
    // (when the shard has a byte limit).
    void evictDown(Shard &shard, std::size_t limit, std::size_t byteLimit, std::vector<Evicted> *evicted);
    static std::size_t bytesOf(const QByteArray &value)
    {
        return sizeof(std::int64_t) + std::size_t(value.size()) + kEntryOverhead;
    }

    std::vector<std::unique_ptr<Shard>> m_shards;
    std::atomic<std::size_t> m_capacity;
    std::atomic<std::int64_t> m_ttl; // nanos; 0 = none
    std::atomic<std::size_t> m_maxBytes;
    double m_ttlJitter;
    mutable std::mutex m_policyMutex;
    QString m_policy;
    std::uint64_t m_shardMask;
    std::shared_ptr<const Clock> m_clock;
};

} // namespace cachescope
