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
    // Enough shards that two or more threads rarely meet on one lock, while every shard keeps
    // at least 64 entries so that the policy's decisions within a shard stay close to global
    // ones (a one-shard tier — config.shards = 1 — is exact; `simulate` uses that).
    return unsigned(std::clamp<std::size_t>(std::bit_floor(std::max<std::size_t>(capacity / 64, 1)), 1, 16));
}

CacheTier::CacheTier(const CacheTierConfig &config, std::shared_ptr<const Clock> clock)
    : m_capacity(config.capacity)
    , m_ttl(config.ttl.count())
    , m_maxBytes(config.maxBytes)
    , m_ttlJitter(std::clamp(config.ttlJitter, 0.0, 0.5))
    , m_policy(config.policy)
    , m_clock(std::move(clock))
{
    unsigned shards = config.shards ? std::bit_floor(config.shards) : defaultShards(config.capacity);
    shards = std::max(1u, shards);
    m_shardMask = shards - 1;
    m_shards.reserve(shards);
    for (unsigned i = 0; i < shards; ++i) {
        auto shard = std::make_unique<Shard>();
        shard->capacity = config.capacity / shards + (i < config.capacity % shards ? 1 : 0);
        shard->maxBytes = config.maxBytes ? std::max<std::size_t>(1, config.maxBytes / shards) : 0;
        shard->jitterState = 0x9e3779b97f4a7c15ULL * (i + 1);
        shard->policy = EvictionPolicy::create(config.policy, shard->capacity);
        if (!shard->policy) {
            throw std::invalid_argument("unknown eviction policy '" + config.policy.toStdString()
                + "' (known: " + EvictionPolicy::names().join(u", ").toStdString() + ")");
        }
        shard->index.reserve(shard->capacity + 1);
        m_shards.push_back(std::move(shard));
    }
}

QString CacheTier::policy() const
{
    std::lock_guard lock(m_policyMutex);
    return m_policy;
}

CacheTier::Shard &CacheTier::shardFor(std::uint64_t hash)
{
    return *m_shards[(hash >> 32) & m_shardMask];
}

CacheTier::Entry CacheTier::Shard::release(Slot slot)
{
    Entry entry = std::move(entries[slot]);
    entries[slot] = Entry {};
    index.erase(entry.key);
    bytes -= bytesOf(entry.value);
    freeSlots.push_back(slot);
    return entry;
}

std::int64_t CacheTier::expiryOf(const Entry &entry) const
{
    const std::int64_t ttl = m_ttl.load(std::memory_order_relaxed);
    const std::int64_t byTtl
        = ttl > 0 ? entry.insertedAt + std::max<std::int64_t>(1, std::int64_t(double(ttl) * entry.ttlScale)) : 0;
    if (byTtl == 0)
        return entry.notAfter;
    return entry.notAfter == 0 ? byTtl : std::min(byTtl, entry.notAfter);
}

std::optional<CacheTier::Hit> CacheTier::lookup(std::int64_t key, const ValueFilter *filter)
{
    Shard &shard = shardFor(mix(key));
    Entry expired; // released after the lock
    std::lock_guard lock(shard.mutex);
    const auto it = shard.index.find(key);
    if (it == shard.index.end()) {
        ++shard.stats.misses;
        return std::nullopt;
    }
    const Slot slot = it->second;
    const Entry &entry = shard.entries[slot];
    const std::int64_t expiresAt = expiryOf(entry);
    if (expiresAt != 0 && expiresAt <= m_clock->nowNanos()) {
        shard.policy->onRemove(slot);
        expired = shard.release(slot);
        ++shard.stats.expirations;
        ++shard.stats.misses;
        return std::nullopt;
    }
    if (filter && !(*filter)(entry.value)) {
        ++shard.stats.misses;
        return std::nullopt;
    }
    shard.policy->onAccess(slot);
    ++shard.stats.hits;
    return Hit {entry.value, expiresAt};
}

std::optional<QByteArray> CacheTier::get(std::int64_t key)
{
    if (std::optional<Hit> hit = lookup(key))
        return std::move(hit->value);
    return std::nullopt;
}

void CacheTier::evictDown(Shard &shard, std::size_t limit, std::size_t byteLimit, std::vector<Evicted> *evicted)
{
    while (shard.index.size() > limit || (shard.maxBytes && shard.bytes > byteLimit && !shard.index.empty())) {
        const Slot victim = shard.policy->evict();
        if (victim == kNoSlot)
            break;
        Entry entry = shard.release(victim);
        ++shard.stats.evictions;
        if (evicted)
            evicted->push_back({entry.key, std::move(entry.value), expiryOf(entry), entry.notAfter});
    }
}

void CacheTier::put(std::int64_t key, QByteArray value, std::int64_t notAfter, std::vector<Evicted> *evicted)
{
    const std::uint64_t hash = mix(key);
    Shard &shard = shardFor(hash);
    const std::int64_t now = m_clock->nowNanos();
    std::vector<Evicted> dropped; // released after the lock when the caller does not want them
    std::lock_guard lock(shard.mutex);
    if (shard.capacity == 0)
        return;
    const std::size_t need = bytesOf(value);
    if (shard.maxBytes && need > shard.maxBytes) {
        ++shard.stats.rejections;
        return;
    }
    float ttlScale = 1.0f;
    if (m_ttlJitter > 0) {
        // xorshift64: cheap, and deterministic per shard for tests.
        std::uint64_t &x = shard.jitterState;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        ttlScale = float(1.0 - m_ttlJitter * double(x >> 11) / double(1ULL << 53));
    }
    if (const auto it = shard.index.find(key); it != shard.index.end()) {
        Entry &entry = shard.entries[it->second];
        shard.bytes += need - bytesOf(entry.value);
        entry.value.swap(value);
        entry.insertedAt = now;
        entry.notAfter = notAfter;
        entry.ttlScale = ttlScale;
        shard.policy->onAccess(it->second);
        ++shard.stats.updates;
        evictDown(shard, shard.capacity, shard.maxBytes, evicted ? evicted : &dropped);
        return;
    }
    shard.policy->onMiss(hash);
    evictDown(shard, shard.capacity - 1, shard.maxBytes ? shard.maxBytes - need : 0, evicted ? evicted : &dropped);
    Slot slot = 0;
    if (!shard.freeSlots.empty()) {
        slot = shard.freeSlots.back();
        shard.freeSlots.pop_back();
    } else {
        slot = Slot(shard.entries.size());
        shard.entries.emplace_back();
    }
    shard.entries[slot] = Entry {key, std::move(value), now, notAfter, ttlScale};
    shard.bytes += need;
    shard.index.emplace(key, slot);
    shard.policy->onInsert(slot, hash);
    ++shard.stats.inserts;
}

bool CacheTier::contains(std::int64_t key) const
{
    const Shard &shard = *m_shards[(mix(key) >> 32) & m_shardMask];
    std::lock_guard lock(shard.mutex);
    const auto it = shard.index.find(key);
    if (it == shard.index.end())
        return false;
    const std::int64_t expiresAt = expiryOf(shard.entries[it->second]);
    return expiresAt == 0 || expiresAt > m_clock->nowNanos();
}

bool CacheTier::remove(std::int64_t key)
{
    Shard &shard = shardFor(mix(key));
    Entry removed;
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

std::optional<CacheTier::Hit> CacheTier::take(std::int64_t key)
{
    Shard &shard = shardFor(mix(key));
    std::lock_guard lock(shard.mutex);
    const auto it = shard.index.find(key);
    if (it == shard.index.end())
        return std::nullopt;
    const Slot slot = it->second;
    shard.policy->onRemove(slot);
    Entry entry = shard.release(slot);
    const std::int64_t expiresAt = expiryOf(entry);
    if (expiresAt != 0 && expiresAt <= m_clock->nowNanos()) {
        ++shard.stats.expirations;
        return std::nullopt;
    }
    return Hit {std::move(entry.value), expiresAt};
}

void CacheTier::clear()
{
    const QString policyName = policy();
    for (auto &shard : m_shards) {
        std::lock_guard lock(shard->mutex);
        shard->stats.invalidations += shard->index.size();
        shard->index.clear();
        shard->entries.clear();
        shard->freeSlots.clear();
        shard->bytes = 0;
        shard->policy = EvictionPolicy::create(policyName, shard->capacity);
    }
}

void CacheTier::setCapacity(std::size_t capacity, std::vector<Evicted> *evicted)
{
    m_capacity.store(capacity);
    const std::size_t shards = m_shards.size();
    for (std::size_t i = 0; i < shards; ++i) {
        Shard &shard = *m_shards[i];
        std::vector<Evicted> dropped;
        std::lock_guard lock(shard.mutex);
        shard.capacity = capacity / shards + (i < capacity % shards ? 1 : 0);
        shard.policy->setCapacity(shard.capacity);
        evictDown(shard, shard.capacity, shard.maxBytes, evicted ? evicted : &dropped);
    }
}

void CacheTier::setMaxBytes(std::size_t maxBytes, std::vector<Evicted> *evicted)
{
    m_maxBytes.store(maxBytes);
    const std::size_t shards = m_shards.size();
    for (auto &shard : m_shards) {
        std::vector<Evicted> dropped;
        std::lock_guard lock(shard->mutex);
        shard->maxBytes = maxBytes ? std::max<std::size_t>(1, maxBytes / shards) : 0;
        evictDown(*shard, shard->capacity, shard->maxBytes, evicted ? evicted : &dropped);
    }
}

void CacheTier::setTtl(std::chrono::nanoseconds ttl)
{
    m_ttl.store(ttl.count());
}

void CacheTier::setPolicy(const QString &policyName)
{
    if (!EvictionPolicy::create(policyName, 1))
        throw std::invalid_argument("unknown eviction policy '" + policyName.toStdString() + "'");
    {
        std::lock_guard lock(m_policyMutex);
        m_policy = policyName;
    }
    for (auto &shard : m_shards) {
        std::lock_guard lock(shard->mutex);
        auto policy = EvictionPolicy::create(policyName, shard->capacity);
        // Hand the resident entries over, oldest first as far as insertion times tell.
        std::vector<std::pair<std::int64_t, Slot>> order;
        order.reserve(shard->index.size());
        for (const auto &[key, slot] : shard->index)
            order.emplace_back(shard->entries[slot].insertedAt, slot);
        std::sort(order.begin(), order.end());
        for (const auto &[insertedAt, slot] : order)
            policy->onInsert(slot, mix(shard->entries[slot].key));
        shard->policy = std::move(policy);
    }
}

std::size_t CacheTier::sweepExpired()
{
    std::size_t swept = 0;
    const std::int64_t now = m_clock->nowNanos();
    for (auto &shard : m_shards) {
        std::vector<Entry> dropped;
        std::lock_guard lock(shard->mutex);
        std::vector<Slot> stale;
        for (const auto &[key, slot] : shard->index) {
            const std::int64_t expiresAt = expiryOf(shard->entries[slot]);
            if (expiresAt != 0 && expiresAt <= now)
                stale.push_back(slot);
        }
        for (const Slot slot : stale) {
            shard->policy->onRemove(slot);
            dropped.push_back(shard->release(slot));
            ++shard->stats.expirations;
        }
        swept += stale.size();
    }
    return swept;
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
        s.bytes = shard->bytes;
        total += s;
    }
    return total;
}

} // namespace cachescope
