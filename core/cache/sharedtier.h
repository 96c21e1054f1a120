#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <functional>
#include <optional>

namespace cachescope {

/// Where L2 lives (cache.l2.backend).
enum class L2Backend : std::uint8_t {
    InProcess, ///< a CacheTier in this process (cache.l2.capacity entries), one per instance
    Redis, ///< a Redis server (cache.l2.url) that every instance shares
};

/// How a shared L2 tells each instance's L1 of other instances' writes (cache.l2.tracking):
/// Redis's server-assisted client-side caching, RESP2 form (CLIENT TRACKING ... REDIRECT to a
/// `__redis__:invalidate` subscriber).
enum class L2Tracking : std::uint8_t {
    Keys, ///< the server remembers the keys each instance read and tells it when one changes
    Broadcast, ///< BCAST PREFIX: every change under the run's prefix is told to every instance
    Off, ///< no tracking: an L1 copy lives until its TTL whatever other instances write
};

/// What a shared tier answered for one key.
struct SharedRead {
    enum class Status : std::uint8_t {
        Hit, ///< value holds the row (CacheScope's row encoding)
        Miss, ///< the tier does not hold the key
        Failed, ///< the tier could not be asked (error says why): the read goes to the database
    };
    Status status = Status::Miss; ///< outcome
    QByteArray value; ///< the row on a hit
    QString error; ///< why it failed
    std::int64_t nanos = 0; ///< from the request to its answer (the tier's round-trip)
};

/// An L2 that lives outside the process and that several application instances share (a Redis
/// server): asked asynchronously, on the thread of the client that asks, after an L1 miss; filled
/// after a database load; told of writes by the write policy. Each instance's L1 in front of it is
/// a TieredCache; what the shared tier learns of other instances' writes (server-assisted
/// invalidation) it hands to the handler set with setInvalidationHandler(). One object per engine
/// worker, used from that worker's thread only.
class SharedTier {
public:
    virtual ~SharedTier() = default;
    /// Asks for \a key; \a done runs on this thread when the answer is there (or at once, before
    /// this returns, when the tier cannot be asked).
    virtual void get(std::int64_t key, std::function<void(SharedRead &)> done) = 0;
    /// Puts \a value as \a key's row (with the tier's TTL). Not awaited: a failure is counted. With
    /// the row's \a version, the put does not land over a newer one (a write's tombstone, a fresher
    /// row): a fill that overlapped a write never outlives the write's invalidation. A fill waits
    /// for the next service() or turn of the event loop to leave with others; a write's (\a urgent)
    /// leaves at once.
    virtual void put(std::int64_t key, const QByteArray &value, std::optional<std::int64_t> version, bool urgent) = 0;
    /// Drops \a key after a write, at once: with the written \a version, as a tombstone that no
    /// older fill overwrites; without, a plain delete. Not awaited: a failure is counted.
    virtual void remove(std::int64_t key, std::optional<std::int64_t> version) = 0;
    /// What to do when another instance's write invalidates \a key (\a key < 0: everything, as
    /// after a lost invalidation connection); runs on this thread.
    virtual void setInvalidationHandler(std::function<void(std::int64_t key)> handler) = 0;
    /// Sends the commands issued so far and hands what the server has told of other instances'
    /// writes to the handler, now rather than when the event loop next turns (a busy worker's
    /// loop turns only every few hundred requests). Cheap when there is nothing to do: the
    /// client loop calls it every kServiceSharedTierEvery requests.
    virtual void service() = 0;
};

} // namespace cachescope
