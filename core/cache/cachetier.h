#pragma once

#include "core/cache/cachestats.h"
#include "core/cache/clock.h"
#include "core/cache/epoch.h"
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
#include <type_traits>
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
/// The key space is split over shards, each with its own lock, its own policy instance and an
/// equal part of the capacity. Writers (put, remove, eviction, reconfiguration) take the shard's
/// lock. **Hits take no lock and write nothing another core reads**: a get probes the shard's
/// open-addressing index with atomic loads and copies the value out of an immutable entry, under
/// an epoch guard (entries that writers unlink are freed only when no reader can hold them, see
/// detail::Epoch); the policy hears of the hit through a per-thread buffer of accesses that is
/// replayed into the shards' policies under their locks when it fills, and before the thread's
/// next put — so with one thread the policy sees exactly the sequence of requests (LRU is exact
/// LRU, `simulate` and the trace conformance tests rely on that), and with several threads it
/// sees each thread's accesses in order, a few dozen requests late (as Caffeine's read buffers).
/// A full shard evicts before it inserts, as the reference simulators do. An expired entry is
/// never returned: it is dropped when it is next looked at, or by sweepExpired().
class CacheTier {
public:
    /// Bytes an entry is charged beyond its key and value: the entry, its index buckets, the
    /// slot arrays, the policy's arrays and the value's header, rounded (measured 117–159 by
    /// policy and size, docs/benchmarks.md).
    static constexpr std::size_t kEntryOverhead = 128;

    explicit CacheTier(const CacheTierConfig &config, std::shared_ptr<const Clock> clock = SteadyClock::instance());
    ~CacheTier();
    CacheTier(const CacheTier &) = delete;
    CacheTier &operator=(const CacheTier &) = delete;

    /// A resident entry as read.
    struct Hit {
        QByteArray value; ///< the cached value
        std::int64_t expiresAt = 0; ///< clock nanos after which it is stale; 0 = never
        std::uint32_t tag = 0; ///< what the entry was put with (see put())
    };
    /// An entry pushed out by put() or a shrink.
    struct Evicted {
        std::int64_t key = 0; ///< its key
        QByteArray value; ///< its value
        std::int64_t expiresAt = 0; ///< as in Hit
        std::int64_t notAfter = 0; ///< the deadline it was put with (0 = none)
        std::uint32_t tag = 0; ///< what it was put with (see put())
    };

    /// The value for \a key if resident and not expired (and tells the policy about the hit).
    std::optional<QByteArray> get(std::int64_t key);
    /// As get(), with the entry's expiry. With a \a filter, a resident value it rejects counts as a
    /// miss (and is left in place, untouched by the policy): the caller loads what it needs.
    std::optional<Hit> lookup(std::int64_t key, const ValueFilter *filter = nullptr);
    /// Reads \a key in place: when it is resident, fresh and accepted by \a filter, calls
    /// \a reader with its value and expiry — without copying the value (a copy updates the
    /// value's shared reference count, an atomic write to a line every reader of that key
    /// touches) — and returns true. Counts and tells the policy exactly as lookup() does. The
    /// value is valid only during the call; \a reader must not call back into the tier.
    template<typename Reader> bool read(std::int64_t key, Reader &&reader, const ValueFilter *filter = nullptr)
    {
        return visit(
            key,
            [](void *context, const Entry &entry, std::int64_t expiresAt) {
                (*static_cast<std::remove_reference_t<Reader> *>(context))(entry.value, expiresAt);
            },
            &reader, filter);
    }
    /// Inserts or replaces \a key; when its shard is full, the policy evicts an entry first.
    /// The entry expires after the tier's TTL, and never later than \a notAfter (clock nanos,
    /// 0 = no limit) — how a value moved between tiers keeps its original deadline. Entries
    /// evicted to make room are appended to \a evicted when given. The \a tag is the caller's:
    /// kept with the entry and handed back with it (TieredCache: the key's version when the
    /// value was loaded, so that a value moving between tiers can tell it was invalidated).
    void put(std::int64_t key, QByteArray value, std::int64_t notAfter = 0, std::vector<Evicted> *evicted = nullptr,
        std::uint32_t tag = 0);
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
    // An entry as readers see it: never changed once published (a put of a resident key
    // publishes a new one in the same slot), freed through the shard's retire list.
    struct Entry {
        std::int64_t key = 0;
        QByteArray value;
        std::int64_t insertedAt = 0; // clock nanos
        std::int64_t notAfter = 0; // clock nanos; 0 = no limit beyond the TTL
        float ttlScale = 1.0f; // 1 − this entry's jitter
        Slot slot = kNoSlot; // the policy's handle
        std::uint32_t tag = 0; // the owner's, as put
        std::uint32_t generation = 0; // of the slot when this entry took it (see Access)
        // Hits not yet told to the policy, for policies that count them (HitReporting::Counted):
        // readers raise it up to the policy's limit (no store once there), the policy takes it.
        mutable std::atomic<std::uint8_t> hits {0};
    };
    // Open addressing, linear probing; a bucket holds nullptr (never used: ends a probe),
    // tombstone() (removed: probes go on) or an entry. Readers load buckets without a lock; a
    // table that grows is replaced and retired as a whole.
    struct Index {
        explicit Index(std::size_t buckets);
        std::size_t mask;
        std::unique_ptr<std::atomic<Entry *>[]> buckets;
    };
    // A hit not yet told to the shard's policy.
    struct Access {
        std::uint64_t hash; // of the key (it names the shard, and the policy may count by it)
        Slot slot;
        std::uint32_t generation; // stale (slot freed, maybe reused since) when it differs
    };
    static constexpr std::size_t kAccessBuffer = 64;
    static constexpr std::size_t kStripes = 16;
    static constexpr std::size_t kMaxSortedShards = 64; // drains group by shard up to this many
    // At most one hit in 2^6 recorded under contention (2^4: W-TinyLFU ~20 % slower on two
    // threads, the same hit ratios; docs/benchmarks.md).
    static constexpr std::uint32_t kMaxSampleShift = 6;
    // Replays in a row without a collision before a thread samples less (8: LRU 42 M reads/s at
    // 2 threads, 32: 49 M; hit ratio under contention in docs/benchmarks.md).
    static constexpr std::uint32_t kCalmDrains = 32;
    // Buffered hits and the hit/miss counters of one thread (detail::Epoch::threadIndex()), on
    // cache lines no other thread writes: its owner writes them without a lock. Threads beyond
    // kStripes share one overflow stripe under a lock. Others only read the counters.
    struct alignas(64) Stripe {
        std::atomic<std::uint64_t> hits {0};
        std::atomic<std::uint64_t> misses {0};
        std::uint32_t pending = 0;
        // Under contention the thread records one hit in 2^sampleShift (see drain()).
        std::uint32_t sampleShift = 0;
        std::uint32_t sampleTick = 0;
        std::uint32_t calmDrains = 0; // replays in a row that found nobody else replaying
        Access accesses[kAccessBuffer];
    };
    struct alignas(64) Shard {
        mutable detail::SpinLock mutex;
        std::atomic<Index *> index; // current table; the lock guards every change
        std::size_t used = 0; // buckets that are not nullptr (entries and tombstones)
        std::vector<Entry *> slots; // slot → resident entry (nullptr when free)
        std::vector<std::uint32_t> generations; // by slot, bumped when a slot is freed
        std::vector<Slot> freeSlots;
        std::unique_ptr<EvictionPolicy> policy;
        std::size_t live = 0;
        std::size_t capacity = 0;
        std::size_t maxBytes = 0; // 0 = no byte limit
        std::size_t bytes = 0;
        std::uint64_t jitterState = 0; // xorshift state for TTL jitter
        CacheStats stats; // all but hits and misses (those are counted by stripe)
        detail::RetireList retired; // unlinked entries and tables

        // Lock-free: the entry for key, or nullptr.
        Entry *find(std::int64_t key, std::uint64_t hash) const;
        // With the lock: publishes `entry` (its key not resident), growing the table if needed.
        void insert(Entry *entry, std::uint64_t hash);
        // With the lock: replaces the resident entry of the same key in the index.
        void replace(Entry *old, Entry *entry, std::uint64_t hash);
        // With the lock: unlinks a resident entry, frees its slot and retires it. The policy must
        // already have forgotten the slot.
        void release(Entry *entry);
        void rebuild(std::size_t buckets);
        // With the lock: installs a policy, which takes counted hits from this shard's entries.
        void setPolicy(std::unique_ptr<EvictionPolicy> next);
    };

    // The one read path: calls `onHit(context, entry, expiresAt)` inside the epoch guard.
    bool visit(
        std::int64_t key, void (*onHit)(void *, const Entry &, std::int64_t), void *context, const ValueFilter *filter);
    static Entry s_tombstone; // marks a removed bucket
    static Entry *tombstone() { return &s_tombstone; }
    std::size_t shardIndex(std::uint64_t hash) const { return std::size_t((hash >> 32) & m_shardMask); }
    Shard &shardFor(std::uint64_t hash) const { return *m_shards[shardIndex(hash)]; }
    // Runs f(stripe) on the calling thread's stripe.
    template<typename F> void withStripe(F &&f);
    std::int64_t expiryOf(const Entry &entry) const;
    // Tells the shards' policies about the stripe's buffered hits (by its owner, or with the
    // overflow lock; no shard lock held: the order is always overflow, drain, shard). A full
    // buffer whose thread finds another thread draining is dropped instead (`lossy`): the hits
    // stay counted, only their recency is lost — as Caffeine drops reads under contention, so
    // that hits never queue behind the policy — and the thread then records only every second,
    // fourth… hit (up to one in 64), one level less after kCalmDrains replays in a row that found
    // nobody else replaying. With one thread nothing is ever dropped or skipped.
    void drain(Stripe &stripe, bool lossy = false);
    // Drains the calling thread's stripe: with one thread the policy then knows every hit.
    // (Other threads' buffered hits reach it when they drain; stale ones are recognised.)
    void drainMine();
    // Evicts from a locked shard until it holds at most `limit` entries and `byteLimit` bytes
    // (when the shard has a byte limit).
    void evictDown(Shard &shard, std::size_t limit, std::size_t byteLimit, std::vector<Evicted> *evicted);
    static std::size_t bytesOf(const QByteArray &value)
    {
        return sizeof(std::int64_t) + std::size_t(value.size()) + kEntryOverhead;
    }

    std::vector<std::unique_ptr<Shard>> m_shards;
    std::unique_ptr<Stripe[]> m_stripes; // kStripes, then the overflow stripe
    detail::SpinLock m_overflowMutex;
    detail::SpinLock m_drainMutex; // one thread at a time replays hits into the policies
    std::atomic<HitReporting> m_hitReporting; // how hits reach the policy
    std::atomic<std::uint8_t> m_hitLimit; // for HitReporting::Counted
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
