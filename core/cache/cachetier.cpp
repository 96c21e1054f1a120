#include "core/cache/cachetier.h"

#include <algorithm>
#include <bit>

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
    , m_clock(std::move(clock))
{
    unsigned shards = config.shards ? std::bit_floor(config.shards) : defaultShards(config.capacity);
    shards = std::max(1u, shards);
    m_shardMask = shards - 1;
    m_shards.reserve(shards);
    for (unsigned i = 0; i < shards; ++i) {
        auto shard = std::make_unique<Shard>();
        shard->capacity = m_capacity / shards + (i < m_capacity % shards ? 1 : 0);
        shard->index.reserve(shard->capacity);
        m_shards.push_back(std::move(shard));
    }
}

CacheTier::Shard &CacheTier::shardFor(std::int64_t key)
{
    return *m_shards[(mix(key) >> 32) & m_shardMask];
}

std::optional<QByteArray> CacheTier::get(std::int64_t key)
{
    Shard &shard = shardFor(key);
    std::lock_guard lock(shard.mutex);
    const auto it = shard.index.find(key);
    if (it == shard.index.end()) {
        ++shard.stats.misses;
        return std::nullopt;
    }
    const auto node = it->second;
    if (node->expiresAt != 0 && node->expiresAt <= m_clock->nowNanos()) {
        shard.lru.erase(node);
        shard.index.erase(it);
        ++shard.stats.expirations;
        ++shard.stats.misses;
        return std::nullopt;
    }
    shard.lru.splice(shard.lru.begin(), shard.lru, node);
    ++shard.stats.hits;
    return node->value;
}

void CacheTier::put(std::int64_t key, QByteArray value)
{
    Shard &shard = shardFor(key);
    if (shard.capacity == 0)
        return;
    const std::int64_t expiresAt = m_ttl.count() > 0 ? m_clock->nowNanos() + m_ttl.count() : 0;
    QByteArray evicted; // released after the lock
    std::lock_guard lock(shard.mutex);
    if (const auto it = shard.index.find(key); it != shard.index.end()) {
        it->second->value.swap(value);
        it->second->expiresAt = expiresAt;
        shard.lru.splice(shard.lru.begin(), shard.lru, it->second);
        ++shard.stats.updates;
        return;
    }
    if (shard.index.size() >= shard.capacity) {
        Entry &victim = shard.lru.back();
        evicted.swap(victim.value);
        shard.index.erase(victim.key);
        shard.lru.pop_back();
        ++shard.stats.evictions;
    }
    shard.lru.push_front(Entry {key, std::move(value), expiresAt});
    shard.index.emplace(key, shard.lru.begin());
    ++shard.stats.inserts;
}

bool CacheTier::remove(std::int64_t key)
{
    Shard &shard = shardFor(key);
    std::lock_guard lock(shard.mutex);
    const auto it = shard.index.find(key);
    if (it == shard.index.end())
        return false;
    shard.lru.erase(it->second);
    shard.index.erase(it);
    ++shard.stats.invalidations;
    return true;
}

void CacheTier::clear()
{
    for (auto &shard : m_shards) {
        std::lock_guard lock(shard->mutex);
        shard->stats.invalidations += shard->index.size();
        shard->index.clear();
        shard->lru.clear();
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
