#pragma once

#include <QString>
#include <QStringList>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace cachescope {

/// Index of a resident entry inside one cache shard. Policies keep their bookkeeping in arrays
/// indexed by slot, so a hit costs one hash lookup (key → slot) in the shard, none in the policy.
using Slot = std::uint32_t;
inline constexpr Slot kNoSlot = 0xffffffffu;

/// Hits that the owner counted outside the policy, per slot (saturating at the policy's
/// hitLimit()); take() returns them and starts the count again. Called with the shard's lock held.
struct HitSource {
    std::uint8_t (*takeHits)(const void *context, Slot slot) = nullptr;
    const void *context = nullptr;
    std::uint8_t take(Slot slot) const { return takeHits ? takeHits(context, slot) : 0; }
};

/// How a policy hears of hits.
enum class HitReporting {
    None, ///< it ignores them (FIFO)
    Counted, ///< a small saturating count per entry, read when the policy decides (SIEVE, S3-FIFO)
    Ordered, ///< onAccess() for every hit, in order (LRU, W-TinyLFU)
};

/// Decides which resident entry leaves when a shard is full. One instance per shard, called with
/// the shard's lock held (no synchronisation of its own).
///
/// The owner calls onMiss() then onInsert() for every entry that becomes resident, onAccess() on
/// every hit,
/// onRemove() when an entry leaves for another reason (invalidation, expiry), and evict() —
/// before inserting into a full shard — to have the policy choose and forget one victim.
class alignas(64) EvictionPolicy { // shards' policies must not share cache lines
public:
    virtual ~EvictionPolicy() = default;

    /// The policy's name as the command line spells it ("lru", "s3fifo", ...).
    virtual QString name() const = 0;
    /// The shard's capacity in entries changed (sizes of the policy's internal queues follow).
    virtual void setCapacity(std::size_t capacity) = 0;
    /// A key that is not resident is about to be inserted (called before any evict() that makes
    /// room for it): policies that remember evicted keys look it up here, as the reference
    /// simulators do at miss time.
    virtual void onMiss(std::uint64_t keyHash) { (void)keyHash; }
    /// \a slot became resident; \a keyHash identifies its key (for ghosts and sketches).
    virtual void onInsert(Slot slot, std::uint64_t keyHash) = 0;
    /// \a slot was hit; \a keyHash is the hash its key was inserted with (policies that count
    /// frequencies by key use it, so that a hit need not look it up).
    virtual void onAccess(Slot slot, std::uint64_t keyHash) = 0;
    /// How the owner reports hits. With Counted, the owner may count hits per entry itself and
    /// the policy takes them from the HitSource when it decides (the same decisions as onAccess()
    /// for each hit, since the policy only looks at the saturated count).
    virtual HitReporting hitReporting() const { return HitReporting::Ordered; }
    /// The count at which Counted hits saturate.
    virtual std::uint8_t hitLimit() const { return 0; }
    /// Where Counted hits come from.
    void setHitSource(HitSource source) { m_hits = source; }
    /// \a slot left the cache other than by evict().
    virtual void onRemove(Slot slot) = 0;
    /// Chooses a resident slot to evict, forgets it and returns it (kNoSlot when empty).
    virtual Slot evict() = 0;
    /// Bytes of policy metadata per resident entry (arrays indexed by slot).
    virtual std::size_t bytesPerEntry() const = 0;

    /// Creates the named policy; nullptr for an unknown name.
    static std::unique_ptr<EvictionPolicy> create(const QString &name, std::size_t capacity);
    /// Every name create() accepts.
    static QStringList names();

protected:
    HitSource m_hits;
};

} // namespace cachescope
