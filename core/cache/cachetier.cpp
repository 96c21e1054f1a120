#include "core/cache/cachetier.h"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace cachescope {

std::shared_ptr<const Clock> SteadyClock::instance()
{
    static const auto clock = std::make_shared<const SteadyClock>();
    return clock;
}

namespace {
// splitmix64's finaliser: integer keys are often sequential; spread them over shards and buckets.
std::uint64_t mix(std::int64_t key)
{
    auto z = std::uint64_t(key) + 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
} // namespace

unsigned CacheTier::defaultShards(std::size_t capacity)
{
    // Keep at least ~1024 entries per shard so per-shard LRU stays close to global LRU.
    return unsigned(std::clamp<std::size_t>(std::bit_floor(std::max<std::size_t>(capacity / 1024, 1)), 1, 16));
}

CacheTier::CacheTier(const CacheTierConfig &config, std::shared_ptr<const Clock> clock)
    : m_capacity(config.capacity)
    , m_ttl(config.ttl)
    , m_policy(config.policy)
    , m_clock(std::move(clock))
{
    unsigned shards = config.shards ? std::bit_floor(config.shards) : defaultShards(config.capacity);
    shards = std::max(1u, shards);
    m_shardMask = shards - 1;
    m_shards.reserve(shards);
    for (unsigned i = 0; i < shards; ++i) {
        auto shard = std::make_unique<Shard>();
        shard->capacity = m_capacity / shards + (i < m_capacity % shards ? 1 : 0);
        shard->policy = EvictionPolicy::create(config.policy, shard->capacity);
        if (!shard->policy) {
            throw std::invalid_argument("unknown eviction policy '" + config.policy.toStdString()
                + "' (known: " + EvictionPolicy::names().join(u", ").toStdString() + ")");
        }
        shard->index.reserve(shard->capacity + 1);
        m_shards.push_back(std::move(shard));
    }
}

CacheTier::Shard &CacheTier::shardFor(std::uint64_t hash)
{
    return *m_shards[(hash >> 32) & m_shardMask];
}

QByteArray CacheTier::Shard::release(Slot slot)
{
    Entry &entry = entries[slot];
    index.erase(entry.key);
    QByteArray value = std::move(entry.value);
    entry.value = QByteArray();
    freeSlots.push_back(slot);
    return value;
}

std::optional<QByteArray> CacheTier::get(std::int64_t key)
{
    Shard &shard = shardFor(mix(key));
    QByteArray expired; // released after the lock
    std::lock_guard lock(shard.mutex);
    const auto it = shard.index.find(key);
    if (it == shard.index.end()) {
        ++shard.stats.misses;
        return std::nullopt;
    }
    const Slot slot = it->second;
    const Entry &entry = shard.entries[slot];
    if (entry.expiresAt != 0 && entry.expiresAt <= m_clock->nowNanos()) {
        shard.policy->onRemove(slot);
        expired = shard.release(slot);
        ++shard.stats.expirations;
        ++shard.stats.misses;
        return std::nullopt;
    }
    shard.policy->onAccess(slot);
    ++shard.stats.hits;
    return entry.value;
}

void CacheTier::put(std::int64_t key, QByteArray value)
{
    const std::uint64_t hash = mix(key);
    Shard &shard = shardFor(hash);
    if (shard.capacity == 0)
        return;
    const std::int64_t expiresAt = m_ttl.count() > 0 ? m_clock->nowNanos() + m_ttl.count() : 0;
    QByteArray evicted; // released after the lock
    std::lock_guard lock(shard.mutex);
    if (const auto it = shard.index.find(key); it != shard.index.end()) {
        Entry &entry = shard.entries[it->second];
        entry.value.swap(value);
        entry.expiresAt = expiresAt;
        shard.policy->onAccess(it->second);
        ++shard.stats.updates;
        return;
    }
    shard.policy->onMiss(hash);
    while (shard.index.size() >= shard.capacity) {
        const Slot victim = shard.policy->evict();
        if (victim == kNoSlot)
            break;
        evicted = shard.release(victim);
        ++shard.stats.evictions;
    }
    Slot slot = 0;
    if (!shard.freeSlots.empty()) {
        slot = shard.freeSlots.back();
        shard.freeSlots.pop_back();
    } else {
        slot = Slot(shard.entries.size());
        shard.entries.emplace_back();
    }
    shard.entries[slot] = Entry {key, std::move(value), expiresAt};
    shard.index.emplace(key, slot);
    shard.policy->onInsert(slot, hash);
    ++shard.stats.inserts;
}

bool CacheTier::remove(std::int64_t key)
{
    Shard &shard = shardFor(mix(key));
    QByteArray removed;
    std::lock_guard lock(shard.mutex);
    const auto it = shard.index.find(key);
    if (it == shard.index.end())
        return false;
    const Slot slot = it->second;
    shard.policy->onRemove(slot);
    removed = shard.release(slot);
    ++shard.stats.invalidations;
    return true;
}

void CacheTier::clear()
{
    for (auto &shard : m_shards) {
        std::lock_guard lock(shard->mutex);
        shard->stats.invalidations += shard->index.size();
        shard->index.clear();
        shard->entries.clear();
        shard->freeSlots.clear();
        shard->policy = EvictionPolicy::create(m_policy, shard->capacity);
    }
}

std::size_t CacheTier::size() const
{
    std::size_t n = 0;
    for (const auto &shard : m_shards) {
        std::lock_guard lock(shard->mutex);
        n += shard->index.size();
    }
    return n;
}

CacheStats CacheTier::stats() const
{
    CacheStats total;
    for (const auto &shard : m_shards) {
        std::lock_guard lock(shard->mutex);
        CacheStats s = shard->stats;
        s.entries = shard->index.size();
        total += s;
    }
    return total;
}

} // namespace cachescope
