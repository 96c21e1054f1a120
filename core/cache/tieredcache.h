#pragma once

#include "core/cache/cachestats.h"
#include "core/cache/cachetier.h"
#include "core/load/loadresult.h"

#include <QByteArray>
#include <QString>

#include <array>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cachescope {

/// How L2 relates to L1.
enum class L2Mode {
    Inclusive, ///< loads fill both tiers; L1 holds a hot subset of L2
    Exclusive, ///< loads fill L1; what L1 evicts moves down to L2; an L2 hit moves up to L1
};

/// What a write does to the cached copy.
enum class WritePolicy {
    Invalidate, ///< drop the key from every tier (the next read loads the new row)
    WriteThrough, ///< put the new value into the cache
    TtlOnly, ///< leave the cached copy alone: it lives until its TTL (the cache is not told of writes)
};

/// Configuration of a TieredCache.
struct TieredCacheConfig {
    CacheTierConfig l1; ///< small, hot, short TTL
    CacheTierConfig l2 = {0, std::chrono::nanoseconds(0), 0, QStringLiteral("lru")}; ///< capacity 0 = no L2
    L2Mode mode = L2Mode::Inclusive; ///< inclusive or exclusive L2
    WritePolicy writePolicy = WritePolicy::Invalidate; ///< what write() does
    std::chrono::nanoseconds negativeTtl {0}; ///< how long "no such row" is remembered; 0 = not at all
    std::size_t negativeCapacity = 10000; ///< most missing keys remembered
};

/// Where a read was answered.
enum class ReadSource : std::uint8_t {
    L1, ///< L1 hit
    L2, ///< L2 hit (promoted to L1)
    Negative, ///< a remembered "no such row"
    Loaded, ///< this caller loaded it from the data source
    Coalesced, ///< another caller's load, which this one waited for
};

/// A read's answer.
struct ReadResult {
    ReadSource source = ReadSource::Loaded; ///< where it came from
    LoadResult load; ///< the value (status Found), NotFound or Failed
};

/// One load in progress: its leader publishes the result here; followers wait or are called back.
struct Flight {
    std::mutex mutex;
    std::condition_variable done;
    bool finished = false;
    LoadResult result;
    std::vector<std::function<void(const LoadResult &)>> waiters;
    std::uint64_t version = 0; ///< the key's version when the load began (reads after it moved on do not join)
};

/// Counts of a TieredCache as a plain value.
struct TieredCacheStats {
    CacheStats l1; ///< L1 tier
    CacheStats l2; ///< L2 tier
    std::uint64_t negativeHits = 0; ///< reads answered by a remembered miss
    std::uint64_t loads = 0; ///< loads that found a row or found none
    std::uint64_t loadFailures = 0; ///< loads that failed
    std::uint64_t coalescedWaits = 0; ///< reads that waited for another caller's load
    std::uint64_t staleFillsDropped = 0; ///< loads not cached because the key was invalidated meanwhile
    std::uint64_t invalidations = 0; ///< keys invalidated (invalidateAll counts once)

    TieredCacheStats &operator+=(const TieredCacheStats &other);
};

/// L1 over an optional L2, in front of a data source reached through a loader function.
///
/// read(): L1, then L2 (promoting to L1), then a remembered miss, then one load per key however
/// many threads miss it at once (single-flight: the others wait for its result or its error).
/// A load fills the cache only if no invalidation of that key happened since it started
/// (version stamps), so a late fill never brings back a value an invalidation removed.
/// Safe to call from any thread; the loader runs on the calling thread.
class TieredCache {
public:
    using Loader = std::function<LoadResult(std::int64_t key)>;

    explicit TieredCache(
        const TieredCacheConfig &config, const std::shared_ptr<const Clock> &clock = SteadyClock::instance());

    /// Reads \a key through the tiers, loading it with \a loader on a miss. With a \a filter,
    /// only cached values it accepts answer (a row holding the projection's columns); any other
    /// is a miss, and the load replaces it.
    ReadResult read(std::int64_t key, const Loader &loader, const ValueFilter *filter = nullptr);
    /// The split form of read(), for callers that must not block (coroutines): readCached()
    /// answers from the tiers or a remembered miss; on nullopt, beginLoad() makes the caller the
    /// key's one loader (isLeader(): load, then finishLoad()) or a follower (whenLoaded() calls
    /// back with the leader's result, on the leader's thread, at once if it is already there).
    std::optional<ReadResult> readCached(std::int64_t key, const ValueFilter *filter = nullptr);
    /// readCached() for a caller that only reads the value: \a reader(const QByteArray &) sees it
    /// in place, so an L1 hit hands out no copy (no reference count bumped on a value other
    /// threads read too). Returns where the answer came from — Negative: a remembered miss, the
    /// reader is not called — or nullopt on a miss.
    template<typename Reader>
    std::optional<ReadSource> readCachedInPlace(std::int64_t key, Reader &&reader, const ValueFilter *filter = nullptr)
    {
        if (m_l1.read(
                key, [&reader](const QByteArray &value, std::int64_t) { reader(value); }, filter))
            return ReadSource::L1;
        std::optional<ReadResult> below = readBelowL1(key, filter);
        if (!below)
            return std::nullopt;
        if (below->load.status == LoadResult::Status::Found)
            reader(std::as_const(below->load.value));
        return below->source;
    }
    class LoadTicket {
    public:
        bool isLeader() const { return m_leader; }
        std::int64_t key() const { return m_key; }
        /// The leader's result, blocking this thread until it is there (followers of read()).
        LoadResult result() const;

    private:
        friend class TieredCache;
        std::int64_t m_key = 0;
        std::shared_ptr<Flight> m_flight;
        bool m_leader = false;
        std::uint64_t m_version = 0;
    };
    LoadTicket beginLoad(std::int64_t key);
    /// The leader's result: cached unless the key was invalidated since beginLoad() (a failure is
    /// never cached); followers are woken with it. True when the row was cached.
    bool finishLoad(LoadTicket &ticket, LoadResult result);
    void whenLoaded(const LoadTicket &ticket, std::function<void(const LoadResult &)> done);

    /// Warm-up fills: take the key's version before loading it (fillVersion()), then warm() puts
    /// the row into L2 (and into L1 too when \a intoL1, or when there is no L2) with the tiers'
    /// normal TTLs — unless the key was invalidated or written since (the version moved), or a
    /// tier already holds it (live traffic got there first). True when it was put.
    std::uint64_t fillVersion(std::int64_t key) const { return versionOf(key); }
    bool warm(std::int64_t key, std::uint64_t version, const QByteArray &value, bool intoL1);

    /// The cached value of \a key without loading (L1, then L2 with promotion).
    std::optional<QByteArray> peek(std::int64_t key, const ValueFilter *filter = nullptr);

    /// Applies the write policy after the caller has written \a value for \a key to the database.
    void written(std::int64_t key, const QByteArray &value);
    void invalidate(std::int64_t key);
    void invalidate(const std::vector<std::int64_t> &keys);
    void invalidateAll();

    /// Drops expired entries from every tier now (reads drop them lazily; a periodic sweep keeps
    /// memory from holding dead entries). Returns how many were dropped.
    std::size_t sweepExpired();
    /// Live reconfiguration (any thread, while in use).
    void reconfigure(const TieredCacheConfig &config);
    TieredCacheConfig config() const;

    TieredCacheStats stats() const;
    bool hasL2() const;

private:
    static constexpr std::size_t kStripes = 64; // flight maps and version stamps
    struct alignas(64) Stripe {
        std::mutex mutex; // guards flights
        std::unordered_map<std::int64_t, std::shared_ptr<Flight>> flights;
        // Held to move the version of the stripe's keys on (invalidations, writes) and to check
        // a key's version and put its row (fills, promotions, moves down): the two exclude each
        // other, so no row older than a finished invalidation is ever in a tier to be read.
        std::mutex versionMutex;
        // Loads of the stripe's keys: counted where the stripe is (a miss writes no line that
        // misses of other stripes' keys write too).
        std::atomic<std::uint64_t> loads {0};
        std::atomic<std::uint64_t> loadFailures {0};
    };

    std::optional<QByteArray> lookup(std::int64_t key, ReadSource &source, const ValueFilter *filter);
    /// L2 (promoting what it answers) and the remembered misses: readCached() after an L1 miss.
    std::optional<ReadResult> readBelowL1(std::int64_t key, const ValueFilter *filter);
    std::optional<QByteArray> lookupL2(std::int64_t key, const ValueFilter *filter);
    static LoadResult runLoader(std::int64_t key, const Loader &loader);
    LoadResult loadUncoalesced(std::int64_t key, const Loader &loader);
    bool fillIfCurrent(std::int64_t key, std::uint64_t version, const LoadResult &result);
    // With the key's version lock held: puts the row (loaded at `version`) into the tiers; what
    // L1 evicts for it is appended to `evicted`, for moveDown() once the lock is let go.
    void putLocked(
        std::int64_t key, const QByteArray &value, std::uint64_t version, std::vector<CacheTier::Evicted> &evicted);
    std::mutex &versionLock(std::int64_t key);
    void bumpVersion(std::int64_t key);
    // A row moving between tiers (promoted, or pushed down by an exclusive L1) is in neither for
    // a moment, where invalidate() cannot find it. A Transit, taken before the row leaves its
    // tier, tells afterwards whether an invalidation overlapped the move.
    struct Transit {
        std::uint64_t started = 0; // invalidations begun when the move began
        std::uint64_t finished = 0; // invalidations done then
    };
    Transit beginTransit() const;
    // Puts what L1 evicted into L2 (exclusive mode), with no version lock held.
    void moveDown(std::vector<CacheTier::Evicted> &evicted, const Transit &transit);
    // With the key's version lock held, after a move began: true when an invalidation of the key
    // overlapping the move may have missed the row (loaded at version `tag`), which must then
    // not be put.
    bool overtaken(std::int64_t key, std::uint32_t tag, const Transit &transit) const;
    // The key's version as a tier stores it with a value (CacheTier's tag).
    static std::uint32_t tagOf(std::uint64_t version);
    // Counts an invalidation (or a write) as under way for its lifetime.
    class InvalidationScope {
    public:
        explicit InvalidationScope(TieredCache &cache);
        ~InvalidationScope();
        InvalidationScope(const InvalidationScope &) = delete;
        InvalidationScope &operator=(const InvalidationScope &) = delete;

    private:
        TieredCache &m_cache;
    };
    std::uint64_t versionOf(std::int64_t key) const;
    std::size_t stripeOf(std::int64_t key) const;

    std::shared_ptr<const Clock> m_clock;
    mutable std::mutex m_configMutex;
    TieredCacheConfig m_config;
    std::atomic<bool> m_exclusive {false};
    std::atomic<bool> m_writeThrough {false};
    std::atomic<bool> m_ttlOnly {false}; // WritePolicy::TtlOnly: written() leaves the cache alone
    CacheTier m_l1;
    CacheTier m_l2;
    CacheTier m_negative;
    std::array<Stripe, kStripes> m_stripes;
    // Per-stripe invalidation counters (a key's version is its stripe's plus the global epoch).
    std::array<std::atomic<std::uint64_t>, 1024> m_versions {};
    std::atomic<std::uint64_t> m_epoch {0};
    std::atomic<std::uint64_t> m_invalidationsStarted {0};
    std::atomic<std::uint64_t> m_invalidationsFinished {0};

    std::atomic<std::uint64_t> m_negativeHits {0};
    std::atomic<std::uint64_t> m_coalescedWaits {0};
    std::atomic<std::uint64_t> m_staleFills {0};
    std::atomic<std::uint64_t> m_invalidations {0};
};

/// Names used in scenarios and on the command line.
QString toString(L2Mode mode);
QString toString(WritePolicy policy);

} // namespace cachescope
