#include "core/cache/cachetier.h"

#include "core/util/random.h"

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
// Integer keys are often sequential: spread them over shards and buckets.
std::uint64_t mix(std::int64_t key)
{
    return hashKey(key);
}

// A table with room for `live` entries at a quarter full (a rebuild is due at half full).
std::size_t bucketsFor(std::size_t live)
{
    return std::bit_ceil(std::max<std::size_t>(16, 4 * (live + 1)));
}
} // namespace

unsigned CacheTier::defaultShards(std::size_t capacity)
{
    // Enough shards that two or more threads rarely meet on one lock, while every shard keeps
    // at least 64 entries so that the policy's decisions within a shard stay close to global
    // ones (a one-shard tier — config.shards = 1 — is exact; `simulate` uses that).
    return unsigned(std::clamp<std::size_t>(std::bit_floor(std::max<std::size_t>(capacity / 64, 1)), 1, 16));
}

CacheTier::Entry CacheTier::s_tombstone;

CacheTier::Index::Index(std::size_t bucketCount)
    : mask(bucketCount - 1)
    , buckets(std::make_unique<std::atomic<Entry *>[]>(bucketCount))
{
}

CacheTier::CacheTier(const CacheTierConfig &config, std::shared_ptr<const Clock> clock)
    : m_stripes(std::make_unique<Stripe[]>(kStripes + 1))
    , m_capacity(config.capacity)
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
        shard->jitterState = kGoldenGamma * (i + 1);
        auto policy = EvictionPolicy::create(config.policy, shard->capacity);
        if (!policy) {
            throw std::invalid_argument("unknown eviction policy '" + config.policy.toStdString()
                + "' (known: " + EvictionPolicy::names().join(u", ").toStdString() + ")");
        }
        shard->setPolicy(std::move(policy));
        shard->index.store(new Index(bucketsFor(std::min<std::size_t>(shard->capacity, 1024))));
        m_shards.push_back(std::move(shard));
    }
    m_hitReporting.store(m_shards.front()->policy->hitReporting());
    m_hitLimit.store(m_shards.front()->policy->hitLimit());
}

CacheTier::~CacheTier()
{
    // No thread may use the tier any more: free what is resident; retired entries and tables go
    // with each shard's retire list.
    for (auto &shard : m_shards) {
        for (Entry *entry : shard->slots)
            delete entry;
        delete shard->index.load();
    }
}

QString CacheTier::policy() const
{
    std::lock_guard lock(m_policyMutex);
    return m_policy;
}

template<typename F> void CacheTier::withStripe(F &&f)
{
    const unsigned index = detail::Epoch::threadIndex();
    if (index < kStripes) {
        f(m_stripes[index]);
    } else {
        std::lock_guard lock(m_overflowMutex);
        f(m_stripes[kStripes]);
    }
}

void CacheTier::drainMine()
{
    withStripe([this](Stripe &mine) { drain(mine); });
}

namespace {
// The owner's increment: a plain load and store, not a locked read-modify-write.
void bump(std::atomic<std::uint64_t> &counter)
{
    counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}
} // namespace

void CacheTier::Shard::setPolicy(std::unique_ptr<EvictionPolicy> next)
{
    next->setHitSource({[](const void *context, Slot slot) -> std::uint8_t {
                            const Entry *entry = static_cast<const Shard *>(context)->slots[slot];
                            return entry ? entry->hits.exchange(0, std::memory_order_relaxed) : 0;
                        },
        this});
    policy = std::move(next);
}

CacheTier::Entry *CacheTier::Shard::find(std::int64_t key, std::uint64_t hash) const
{
    const Index *table = index.load(std::memory_order_seq_cst);
    for (std::size_t i = hash & table->mask;; i = (i + 1) & table->mask) {
        Entry *entry = table->buckets[i].load(std::memory_order_seq_cst);
        if (entry == nullptr)
            return nullptr;
        if (entry != tombstone() && entry->key == key)
            return entry;
    }
}

void CacheTier::Shard::rebuild(std::size_t bucketCount)
{
    auto table = std::make_unique<Index>(bucketCount);
    for (Entry *entry : slots) {
        if (!entry)
            continue;
        std::size_t i = mix(entry->key) & table->mask;
        while (table->buckets[i].load(std::memory_order_relaxed))
            i = (i + 1) & table->mask;
        table->buckets[i].store(entry, std::memory_order_relaxed);
    }
    used = live;
    // Readers still probing the old table find what it held; it is freed once none can be.
    retired.retire(index.exchange(table.release(), std::memory_order_seq_cst));
}

void CacheTier::Shard::insert(Entry *entry, std::uint64_t hash)
{
    if ((used + 1) * 2 > index.load(std::memory_order_relaxed)->mask + 1)
        rebuild(bucketsFor(live + 1));
    Index *table = index.load(std::memory_order_relaxed);
    std::size_t i = hash & table->mask;
    for (;; i = (i + 1) & table->mask) {
        Entry *at = table->buckets[i].load(std::memory_order_relaxed);
        if (at == nullptr) {
            ++used;
            break;
        }
        if (at == tombstone())
            break; // the key is not resident, so its first free place will do
    }
    table->buckets[i].store(entry, std::memory_order_seq_cst);
    ++live;
}

void CacheTier::Shard::replace(Entry *old, Entry *entry, std::uint64_t hash)
{
    Index *table = index.load(std::memory_order_relaxed);
    std::size_t i = hash & table->mask;
    while (table->buckets[i].load(std::memory_order_relaxed) != old)
        i = (i + 1) & table->mask;
    table->buckets[i].store(entry, std::memory_order_seq_cst);
    slots[entry->slot] = entry;
    retired.retire(old);
}

void CacheTier::Shard::release(Entry *entry)
{
    Index *table = index.load(std::memory_order_relaxed);
    std::size_t i = mix(entry->key) & table->mask;
    while (table->buckets[i].load(std::memory_order_relaxed) != entry)
        i = (i + 1) & table->mask;
    table->buckets[i].store(tombstone(), std::memory_order_seq_cst);
    slots[entry->slot] = nullptr;
    ++generations[entry->slot]; // buffered hits on the slot are stale now
    freeSlots.push_back(entry->slot);
    bytes -= bytesOf(entry->value);
    --live;
    retired.retire(entry);
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

bool CacheTier::visit(
    std::int64_t key, void (*onHit)(void *, const Entry &, std::int64_t), void *context, const ValueFilter *filter)
{
    const std::uint64_t hash = mix(key);
    Shard &shard = shardFor(hash);
    bool hit = false;
    Access access {};
    {
        detail::EpochGuard guard;
        Entry *entry = shard.find(key, hash);
        if (entry) {
            const std::int64_t expiresAt = expiryOf(*entry);
            if (expiresAt != 0 && expiresAt <= m_clock->nowNanos()) {
                // Drop it now (the guard keeps `entry` from being freed, so the comparison holds).
                std::lock_guard lock(shard.mutex);
                if (shard.find(key, hash) == entry) {
                    shard.policy->onRemove(entry->slot);
                    shard.release(entry);
                    ++shard.stats.expirations;
                }
            } else if (!filter || (*filter)(entry->value)) {
                onHit(context, *entry, expiresAt);
                hit = true;
                access = {hash, entry->slot, entry->generation};
                if (m_hitReporting.load(std::memory_order_relaxed) == HitReporting::Counted) {
                    // A plain load and store (a racing reader may lose one count, never more;
                    // with one thread the count is exact): no store once saturated, so the
                    // entry's line stays shared between the cores that read it.
                    const std::uint8_t hits = entry->hits.load(std::memory_order_relaxed);
                    if (hits < m_hitLimit.load(std::memory_order_relaxed))
                        entry->hits.store(std::uint8_t(hits + 1), std::memory_order_relaxed);
                }
            }
        }
    }
    withStripe([&](Stripe &mine) {
        if (!hit) {
            bump(mine.misses);
            return;
        }
        bump(mine.hits);
        if (m_hitReporting.load(std::memory_order_relaxed) != HitReporting::Ordered)
            return;
        if (mine.sampleShift && (++mine.sampleTick & ((1u << mine.sampleShift) - 1)) != 0)
            return; // contended: this hit's recency is skipped (its count is not)
        mine.accesses[mine.pending++] = access;
        if (mine.pending == kAccessBuffer)
            drain(mine, true);
    });
    return hit;
}

std::optional<CacheTier::Hit> CacheTier::lookup(std::int64_t key, const ValueFilter *filter)
{
    std::optional<Hit> hit;
    visit(
        key,
        [](void *context, const Entry &entry, std::int64_t expiresAt) {
            *static_cast<std::optional<Hit> *>(context) = Hit {entry.value, expiresAt, entry.tag};
        },
        &hit, filter);
    return hit;
}

std::optional<QByteArray> CacheTier::get(std::int64_t key)
{
    if (std::optional<Hit> hit = lookup(key))
        return std::move(hit->value);
    return std::nullopt;
}

void CacheTier::drain(Stripe &buffer, bool lossy)
{
    static_assert(kAccessBuffer < 256, "positions in the buffer fit a byte");
    const std::size_t n = buffer.pending;
    buffer.pending = 0;
    if (n == 0)
        return;
    std::unique_lock drainLock(m_drainMutex, std::defer_lock);
    if (lossy) {
        if (!drainLock.try_lock()) {
            buffer.sampleShift = std::min(buffer.sampleShift + 1, kMaxSampleShift);
            buffer.calmDrains = 0;
            return;
        }
        // Back to recording more hits only after many replays in a row met nobody: stepping
        // back at every success kept a thread where every second replay collided.
        if (buffer.sampleShift > 0 && ++buffer.calmDrains >= kCalmDrains) {
            --buffer.sampleShift;
            buffer.calmDrains = 0;
        }
    } else {
        drainLock.lock();
    }
    // One lock per shard touched, each shard's accesses in the order they happened: a counting
    // sort by shard (stable), then the groups.
    // (release() bumps a slot's generation whenever it frees the slot, so a matching generation
    // means the slot still holds the entry that was hit.)
    const auto apply = [](Shard &shard, const Access &a) {
        if (shard.generations[a.slot] == a.generation)
            shard.policy->onAccess(a.slot, a.hash);
    };
    const std::size_t shards = m_shards.size();
    if (shards > kMaxSortedShards) {
        for (std::size_t i = 0; i < n; ++i) {
            Shard &shard = *m_shards[shardIndex(buffer.accesses[i].hash)];
            std::lock_guard lock(shard.mutex);
            apply(shard, buffer.accesses[i]);
        }
        return;
    }
    std::uint8_t start[kMaxSortedShards + 1] = {};
    for (std::size_t i = 0; i < n; ++i)
        ++start[shardIndex(buffer.accesses[i].hash) + 1];
    for (std::size_t s = 1; s <= shards; ++s)
        start[s] = std::uint8_t(start[s] + start[s - 1]);
    std::uint8_t order[kAccessBuffer];
    std::uint8_t fill[kMaxSortedShards];
    std::copy(start, start + shards, fill);
    for (std::size_t i = 0; i < n; ++i)
        order[fill[shardIndex(buffer.accesses[i].hash)]++] = std::uint8_t(i);
    for (std::size_t s = 0; s < shards; ++s) {
        if (start[s] == start[s + 1])
            continue;
        Shard &shard = *m_shards[s];
        std::lock_guard lock(shard.mutex);
        for (std::size_t k = start[s]; k < start[s + 1]; ++k)
            apply(shard, buffer.accesses[order[k]]);
    }
}

void CacheTier::evictDown(Shard &shard, std::size_t limit, std::size_t byteLimit, std::vector<Evicted> *evicted)
{
    while (shard.live > limit || (shard.maxBytes && shard.bytes > byteLimit && shard.live > 0)) {
        const Slot victim = shard.policy->evict();
        if (victim == kNoSlot)
            break;
        Entry *entry = shard.slots[victim];
        ++shard.stats.evictions;
        if (evicted)
            evicted->push_back({entry->key, entry->value, expiryOf(*entry), entry->notAfter, entry->tag});
        shard.release(entry);
    }
}

void CacheTier::put(
    std::int64_t key, QByteArray value, std::int64_t notAfter, std::vector<Evicted> *evicted, std::uint32_t tag)
{
    const std::uint64_t hash = mix(key);
    Shard &shard = shardFor(hash);
    drainMine(); // the policy hears of this thread's hits before it decides what to evict
    auto fresh = std::make_unique<Entry>();
    fresh->key = key;
    fresh->value = std::move(value);
    fresh->insertedAt = m_clock->nowNanos();
    fresh->notAfter = notAfter;
    fresh->tag = tag;
    const std::size_t need = bytesOf(fresh->value);
    std::lock_guard lock(shard.mutex);
    if (shard.capacity == 0)
        return;
    if (shard.maxBytes && need > shard.maxBytes) {
        ++shard.stats.rejections;
        return;
    }
    if (m_ttlJitter > 0) {
        // xorshift64: cheap, and deterministic per shard for tests.
        std::uint64_t &x = shard.jitterState;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        fresh->ttlScale = float(1.0 - m_ttlJitter * double(x >> 11) / double(1ULL << 53));
    }
    if (Entry *old = shard.find(key, hash)) {
        const Slot slot = old->slot;
        fresh->slot = slot;
        fresh->generation = old->generation;
        fresh->hits.store(old->hits.load(std::memory_order_relaxed), std::memory_order_relaxed);
        shard.bytes += need - bytesOf(old->value);
        shard.replace(old, fresh.release(), hash); // `old` may be freed from here on
        shard.policy->onAccess(slot, hash);
        ++shard.stats.updates;
        evictDown(shard, shard.capacity, shard.maxBytes, evicted);
        return;
    }
    shard.policy->onMiss(hash);
    evictDown(shard, shard.capacity - 1, shard.maxBytes ? shard.maxBytes - need : 0, evicted);
    Slot slot = 0;
    if (!shard.freeSlots.empty()) {
        slot = shard.freeSlots.back();
        shard.freeSlots.pop_back();
    } else {
        slot = Slot(shard.slots.size());
        shard.slots.push_back(nullptr);
        shard.generations.push_back(0);
    }
    fresh->slot = slot;
    fresh->generation = shard.generations[slot];
    Entry *entry = fresh.release();
    shard.insert(entry, hash); // (a rebuild inside must not see the entry in its slot yet)
    shard.slots[slot] = entry;
    shard.bytes += need;
    shard.policy->onInsert(slot, hash);
    ++shard.stats.inserts;
}

bool CacheTier::contains(std::int64_t key) const
{
    const std::uint64_t hash = mix(key);
    detail::EpochGuard guard;
    const Entry *entry = shardFor(hash).find(key, hash);
    if (!entry)
        return false;
    const std::int64_t expiresAt = expiryOf(*entry);
    return expiresAt == 0 || expiresAt > m_clock->nowNanos();
}

bool CacheTier::remove(std::int64_t key)
{
    const std::uint64_t hash = mix(key);
    Shard &shard = shardFor(hash);
    std::lock_guard lock(shard.mutex);
    Entry *entry = shard.find(key, hash);
    if (!entry)
        return false;
    shard.policy->onRemove(entry->slot);
    shard.release(entry);
    ++shard.stats.invalidations;
    return true;
}

std::optional<CacheTier::Hit> CacheTier::take(std::int64_t key)
{
    const std::uint64_t hash = mix(key);
    Shard &shard = shardFor(hash);
    std::lock_guard lock(shard.mutex);
    Entry *entry = shard.find(key, hash);
    if (!entry)
        return std::nullopt;
    Hit hit {entry->value, expiryOf(*entry), entry->tag};
    shard.policy->onRemove(entry->slot);
    shard.release(entry);
    if (hit.expiresAt != 0 && hit.expiresAt <= m_clock->nowNanos()) {
        ++shard.stats.expirations;
        return std::nullopt;
    }
    return hit;
}

void CacheTier::clear()
{
    drainMine();
    const QString policyName = policy();
    for (auto &shard : m_shards) {
        std::lock_guard lock(shard->mutex);
        shard->stats.invalidations += shard->live;
        for (Entry *entry : shard->slots) {
            if (entry)
                shard->release(entry);
        }
        shard->rebuild(bucketsFor(0));
        shard->setPolicy(EvictionPolicy::create(policyName, shard->capacity));
    }
}

void CacheTier::setCapacity(std::size_t capacity, std::vector<Evicted> *evicted)
{
    drainMine(); // the policies decide on every hit so far
    m_capacity.store(capacity);
    const std::size_t shards = m_shards.size();
    for (std::size_t i = 0; i < shards; ++i) {
        Shard &shard = *m_shards[i];
        std::lock_guard lock(shard.mutex);
        shard.capacity = capacity / shards + (i < capacity % shards ? 1 : 0);
        shard.policy->setCapacity(shard.capacity);
        evictDown(shard, shard.capacity, shard.maxBytes, evicted);
    }
}

void CacheTier::setMaxBytes(std::size_t maxBytes, std::vector<Evicted> *evicted)
{
    drainMine();
    m_maxBytes.store(maxBytes);
    const std::size_t shards = m_shards.size();
    for (auto &shard : m_shards) {
        std::lock_guard lock(shard->mutex);
        shard->maxBytes = maxBytes ? std::max<std::size_t>(1, maxBytes / shards) : 0;
        evictDown(*shard, shard->capacity, shard->maxBytes, evicted);
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
        order.reserve(shard->live);
        for (const Entry *entry : shard->slots) {
            if (entry)
                order.emplace_back(entry->insertedAt, entry->slot);
        }
        std::sort(order.begin(), order.end());
        for (const auto &[insertedAt, slot] : order)
            policy->onInsert(slot, mix(shard->slots[slot]->key));
        shard->setPolicy(std::move(policy)); // (which also lets it take the entries' counted hits)
    }
    m_hitReporting.store(m_shards.front()->policy->hitReporting());
    m_hitLimit.store(m_shards.front()->policy->hitLimit());
}

std::size_t CacheTier::sweepExpired()
{
    std::size_t swept = 0;
    const std::int64_t now = m_clock->nowNanos();
    for (auto &shard : m_shards) {
        std::lock_guard lock(shard->mutex);
        for (Entry *entry : shard->slots) {
            if (!entry)
                continue;
            const std::int64_t expiresAt = expiryOf(*entry);
            if (expiresAt != 0 && expiresAt <= now) {
                shard->policy->onRemove(entry->slot);
                shard->release(entry);
                ++shard->stats.expirations;
                ++swept;
            }
        }
    }
    return swept;
}

std::size_t CacheTier::size() const
{
    std::size_t n = 0;
    for (const auto &shard : m_shards) {
        std::lock_guard lock(shard->mutex);
        n += shard->live;
    }
    return n;
}

CacheStats CacheTier::stats() const
{
    CacheStats total;
    for (const auto &shard : m_shards) {
        std::lock_guard lock(shard->mutex);
        CacheStats s = shard->stats;
        s.entries = shard->live;
        s.bytes = shard->bytes;
        total += s;
    }
    for (std::size_t i = 0; i <= kStripes; ++i) {
        total.hits += m_stripes[i].hits.load(std::memory_order_relaxed);
        total.misses += m_stripes[i].misses.load(std::memory_order_relaxed);
    }
    return total;
}

} // namespace cachescope
