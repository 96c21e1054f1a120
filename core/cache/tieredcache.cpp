#include "core/cache/tieredcache.h"

#include <chrono>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {
std::uint64_t spread(std::int64_t key)
{
    auto z = std::uint64_t(key) * 0x9e3779b97f4a7c15ULL;
    return z ^ (z >> 29);
}

CacheTierConfig l2TierConfig(CacheTierConfig config)
{
    // An L2 created empty may be given a capacity later: give it shards for that.
    if (config.shards == 0 && config.capacity == 0)
        config.shards = 16;
    return config;
}
} // namespace

TieredCacheStats &TieredCacheStats::operator+=(const TieredCacheStats &other)
{
    l1 += other.l1;
    l2 += other.l2;
    negativeHits += other.negativeHits;
    loads += other.loads;
    loadFailures += other.loadFailures;
    coalescedWaits += other.coalescedWaits;
    staleFillsDropped += other.staleFillsDropped;
    invalidations += other.invalidations;
    return *this;
}

QString toString(L2Mode mode)
{
    return mode == L2Mode::Inclusive ? u"inclusive"_s : u"exclusive"_s;
}

QString toString(WritePolicy policy)
{
    switch (policy) {
    case WritePolicy::WriteThrough:
        return u"write-through"_s;
    case WritePolicy::TtlOnly:
        return u"ttl-only"_s;
    case WritePolicy::Invalidate:
        break;
    }
    return u"invalidate"_s;
}

TieredCache::TieredCache(const TieredCacheConfig &config, const std::shared_ptr<const Clock> &clock)
    : m_clock(clock)
    , m_config(config)
    , m_exclusive(config.mode == L2Mode::Exclusive)
    , m_writeThrough(config.writePolicy == WritePolicy::WriteThrough)
    , m_ttlOnly(config.writePolicy == WritePolicy::TtlOnly)
    , m_l1(config.l1, clock)
    , m_l2(l2TierConfig(config.l2), clock)
    , m_negative({config.negativeCapacity, config.negativeTtl, 0, u"lru"_s}, clock)
{
}

bool TieredCache::hasL2() const
{
    return m_l2.capacity() > 0;
}

std::size_t TieredCache::stripeOf(std::int64_t key) const
{
    return std::size_t(spread(key) >> 40);
}

std::uint64_t TieredCache::versionOf(std::int64_t key) const
{
    return m_versions[stripeOf(key) % m_versions.size()].load() + m_epoch.load();
}

std::mutex &TieredCache::versionLock(std::int64_t key)
{
    // 1024 version stripes over 64 locks: the keys that share a version share its lock.
    return m_stripes[stripeOf(key) % kStripes].versionMutex;
}

void TieredCache::bumpVersion(std::int64_t key)
{
    const std::lock_guard lock(versionLock(key));
    m_versions[stripeOf(key) % m_versions.size()].fetch_add(1);
}

void TieredCache::moveDown(std::vector<CacheTier::Evicted> &evicted, const Transit &transit)
{
    if (!m_exclusive.load(std::memory_order_relaxed) || !hasL2())
        return;
    for (CacheTier::Evicted &e : evicted) {
        // Between leaving L1 and reaching L2 the row was in neither tier, where an invalidation
        // could not find it: it goes down only if none overtook it, checked and put under the
        // key's version lock, so that an invalidation is wholly before the put or after it.
        const std::lock_guard lock(versionLock(e.key));
        if (overtaken(e.key, e.tag, transit))
            m_staleFills.fetch_add(1, std::memory_order_relaxed);
        else
            m_l2.put(e.key, std::move(e.value), e.notAfter, nullptr, e.tag);
    }
}

std::uint32_t TieredCache::tagOf(std::uint64_t version)
{
    return std::uint32_t(version); // equal after 2^32 invalidations of one stripe at the earliest
}

TieredCache::Transit TieredCache::beginTransit() const
{
    Transit transit;
    transit.started = m_invalidationsStarted.load();
    transit.finished = m_invalidationsFinished.load();
    return transit;
}

bool TieredCache::overtaken(std::int64_t key, std::uint32_t tag, const Transit &transit) const
{
    // An invalidation that had finished before the move began removed the key from both tiers
    // first, so what moved was filled after it. Only one that was under way, or began, while the
    // row moved can have missed it — and only if it was of this key: then the key's version has
    // moved on since the row was loaded. (Versions are striped, so another key's invalidation
    // can move it too; asking only when one overlapped the move keeps such false alarms rare.)
    const bool quiet = transit.finished == transit.started && m_invalidationsStarted.load() == transit.started;
    return !quiet && tagOf(versionOf(key)) != tag;
}

TieredCache::InvalidationScope::InvalidationScope(TieredCache &cache)
    : m_cache(cache)
{
    m_cache.m_invalidationsStarted.fetch_add(1);
}

TieredCache::InvalidationScope::~InvalidationScope()
{
    m_cache.m_invalidationsFinished.fetch_add(1);
}

std::optional<QByteArray> TieredCache::lookup(std::int64_t key, ReadSource &source, const ValueFilter *filter)
{
    if (std::optional<CacheTier::Hit> hit = m_l1.lookup(key, filter)) {
        source = ReadSource::L1;
        return std::move(hit->value);
    }
    std::optional<QByteArray> value = lookupL2(key, filter);
    if (value)
        source = ReadSource::L2;
    return value;
}

std::optional<QByteArray> TieredCache::lookupL2(std::int64_t key, const ValueFilter *filter)
{
    if (!hasL2())
        return std::nullopt;
    const Transit transit = beginTransit();
    std::optional<CacheTier::Hit> hit = m_l2.lookup(key, filter);
    if (!hit)
        return std::nullopt;
    // Promotion keeps the value's deadline (an entry never outlives what L2 allowed it) and its
    // version. It is made under the key's version lock, unless an invalidation overtook the row
    // since it was read (this read overlapped that invalidation, so it may still answer with it).
    std::vector<CacheTier::Evicted> evicted;
    {
        const std::lock_guard lock(versionLock(key));
        if (overtaken(key, hit->tag, transit)) {
            m_staleFills.fetch_add(1, std::memory_order_relaxed);
        } else if (m_exclusive.load(std::memory_order_relaxed)) {
            m_l2.take(key); // a move up, not an invalidation: take() leaves the invalidation count alone
            m_l1.put(key, hit->value, hit->expiresAt, &evicted, hit->tag);
        } else {
            m_l1.put(key, hit->value, hit->expiresAt, nullptr, hit->tag);
        }
    }
    moveDown(evicted, transit);
    return std::move(hit->value);
}

std::optional<QByteArray> TieredCache::peek(std::int64_t key, const ValueFilter *filter)
{
    ReadSource source = ReadSource::L1;
    return lookup(key, source, filter);
}

void TieredCache::putLocked(
    std::int64_t key, const QByteArray &value, std::uint64_t version, std::vector<CacheTier::Evicted> &evicted)
{
    const std::uint32_t tag = tagOf(version);
    if (m_exclusive.load(std::memory_order_relaxed) && hasL2()) {
        // The value's age is bounded by L2's TTL wherever it travels.
        const std::int64_t l2Ttl = m_l2.ttl().count();
        const std::int64_t notAfter = l2Ttl > 0 ? m_clock->nowNanos() + l2Ttl : 0;
        // A key lives in one tier: a copy below (moved down before a write-through, or a
        // narrower row a filter turned down) would answer once L1's copy expires or leaves.
        if (m_l2.contains(key))
            m_l2.take(key);
        m_l1.put(key, value, notAfter, &evicted, tag);
        return;
    }
    if (hasL2())
        m_l2.put(key, value, 0, nullptr, tag);
    m_l1.put(key, value, 0, nullptr, tag);
}

std::optional<ReadResult> TieredCache::readCached(std::int64_t key, const ValueFilter *filter)
{
    if (std::optional<CacheTier::Hit> hit = m_l1.lookup(key, filter))
        return ReadResult {ReadSource::L1, {LoadResult::Status::Found, std::move(hit->value), {}}};
    return readBelowL1(key, filter);
}

std::optional<ReadResult> TieredCache::readBelowL1(std::int64_t key, const ValueFilter *filter)
{
    if (std::optional<QByteArray> value = lookupL2(key, filter))
        return ReadResult {ReadSource::L2, {LoadResult::Status::Found, std::move(*value), {}}};
    if (m_negative.capacity() > 0 && m_negative.ttl().count() > 0 && m_negative.get(key)) {
        m_negativeHits.fetch_add(1, std::memory_order_relaxed);
        return ReadResult {ReadSource::Negative, {LoadResult::Status::NotFound, {}, {}}};
    }
    return std::nullopt;
}

TieredCache::LoadTicket TieredCache::beginLoad(std::int64_t key)
{
    Stripe &stripe = m_stripes[stripeOf(key) % kStripes];
    LoadTicket ticket;
    ticket.m_key = key;
    {
        std::lock_guard lock(stripe.mutex);
        const std::uint64_t version = versionOf(key);
        auto [it, inserted] = stripe.flights.try_emplace(key);
        // A load that began before the key's last invalidation may bring the old row: a read
        // that begins after the invalidation does not wait for it but leads a load of its own.
        if (!inserted && it->second->version != version)
            inserted = true;
        if (inserted) {
            it->second = std::make_shared<Flight>();
            it->second->version = version;
        }
        ticket.m_flight = it->second;
        ticket.m_leader = inserted;
        ticket.m_version = version;
    }
    if (!ticket.m_leader)
        m_coalescedWaits.fetch_add(1, std::memory_order_relaxed);
    return ticket;
}

bool TieredCache::finishLoad(LoadTicket &ticket, LoadResult result)
{
    Q_ASSERT(ticket.m_leader && ticket.m_flight);
    const std::int64_t key = ticket.m_key;
    Stripe &stripe = m_stripes[stripeOf(key) % kStripes];
    (result.status == LoadResult::Status::Failed ? stripe.loadFailures : stripe.loads)
        .fetch_add(1, std::memory_order_relaxed);
    const bool cached = fillIfCurrent(key, ticket.m_version, result);

    {
        std::lock_guard lock(stripe.mutex);
        // (A read after an invalidation may have replaced this flight with its own.)
        if (const auto it = stripe.flights.find(key); it != stripe.flights.end() && it->second == ticket.m_flight)
            stripe.flights.erase(it);
    }
    std::vector<std::function<void(const LoadResult &)>> waiters;
    {
        std::lock_guard lock(ticket.m_flight->mutex);
        ticket.m_flight->result = std::move(result);
        ticket.m_flight->finished = true;
        waiters.swap(ticket.m_flight->waiters);
    }
    ticket.m_flight->done.notify_all();
    for (auto &waiter : waiters)
        waiter(ticket.m_flight->result);
    return cached;
}

void TieredCache::whenLoaded(const LoadTicket &ticket, std::function<void(const LoadResult &)> done)
{
    Flight &flight = *ticket.m_flight;
    {
        std::lock_guard lock(flight.mutex);
        if (!flight.finished) {
            flight.waiters.push_back(std::move(done));
            return;
        }
    }
    done(flight.result);
}

LoadResult TieredCache::LoadTicket::result() const
{
    std::unique_lock lock(m_flight->mutex);
    m_flight->done.wait(lock, [this] { return m_flight->finished; });
    return m_flight->result;
}

ReadResult TieredCache::read(std::int64_t key, const Loader &loader, const ValueFilter *filter)
{
    if (std::optional<ReadResult> hit = readCached(key, filter))
        return std::move(*hit);
    LoadTicket ticket = beginLoad(key);
    if (!ticket.isLeader()) {
        LoadResult result = ticket.result(); // blocks this thread until the leader is done
        // The leader may have loaded fewer columns than this caller needs: load its own.
        if (filter && result.status == LoadResult::Status::Found && !(*filter)(result.value))
            return {ReadSource::Loaded, loadUncoalesced(key, loader)};
        return {ReadSource::Coalesced, std::move(result)};
    }
    LoadResult result = runLoader(key, loader);
    finishLoad(ticket, result);
    return {ReadSource::Loaded, std::move(result)};
}

LoadResult TieredCache::runLoader(std::int64_t key, const Loader &loader)
{
    try {
        return loader(key);
    } catch (const std::exception &error) {
        return {LoadResult::Status::Failed, {}, QString::fromUtf8(error.what())};
    }
}

LoadResult TieredCache::loadUncoalesced(std::int64_t key, const Loader &loader)
{
    const std::uint64_t version = versionOf(key);
    LoadResult result = runLoader(key, loader);
    Stripe &stripe = m_stripes[stripeOf(key) % kStripes];
    (result.status == LoadResult::Status::Failed ? stripe.loadFailures : stripe.loads)
        .fetch_add(1, std::memory_order_relaxed);
    fillIfCurrent(key, version, result);
    return result;
}

bool TieredCache::fillIfCurrent(std::int64_t key, std::uint64_t version, const LoadResult &result)
{
    if (result.status == LoadResult::Status::Failed)
        return false;
    // The version is checked and the row put under the key's version lock, which every
    // invalidation takes to move the version on: an invalidation is wholly before the check (the
    // fill is dropped) or after the put (it removes what the fill put) — a row older than a
    // finished invalidation is never there to be read.
    const Transit transit = beginTransit();
    std::vector<CacheTier::Evicted> evicted;
    {
        const std::lock_guard lock(versionLock(key));
        if (versionOf(key) != version) {
            m_staleFills.fetch_add(1, std::memory_order_relaxed);
            return false;
        }
        if (result.status == LoadResult::Status::Found)
            putLocked(key, result.value, version, evicted);
        else if (m_negative.ttl().count() > 0)
            m_negative.put(key, QByteArray());
    }
    moveDown(evicted, transit);
    return true;
}

bool TieredCache::warm(std::int64_t key, std::uint64_t version, const QByteArray &value, bool intoL1)
{
    // Checked and put under the key's version lock, as fillIfCurrent().
    const Transit transit = beginTransit();
    std::vector<CacheTier::Evicted> evicted;
    bool put = false;
    {
        const std::lock_guard lock(versionLock(key));
        if (versionOf(key) != version) {
            m_staleFills.fetch_add(1, std::memory_order_relaxed);
            return false;
        }
        const bool l2 = hasL2();
        if (l2 && !m_l2.contains(key)) {
            m_l2.put(key, value, 0, nullptr, tagOf(version));
            put = true;
        }
        if ((intoL1 || !l2) && !m_l1.contains(key)) {
            // Exclusive L2: a key lives in one tier; the hottest go to L1 only.
            if (m_exclusive.load(std::memory_order_relaxed) && l2)
                m_l2.take(key);
            m_l1.put(key, value, 0, &evicted, tagOf(version));
            put = true;
        }
    }
    moveDown(evicted, transit);
    return put;
}

void TieredCache::written(std::int64_t key, const QByteArray &value)
{
    if (m_ttlOnly.load(std::memory_order_relaxed))
        return;
    if (!m_writeThrough.load(std::memory_order_relaxed)) {
        invalidate(key);
        return;
    }
    std::uint64_t version = 0;
    {
        // The old row goes first, as an invalidation (a move of it under way between tiers is
        // caught, and loads of it still running must not land after this); the new one is then
        // an ordinary fill, so rows it pushes down to L2 are not held up by the write's scope.
        const InvalidationScope scope(*this);
        {
            const std::lock_guard lock(versionLock(key));
            m_versions[stripeOf(key) % m_versions.size()].fetch_add(1);
            version = versionOf(key);
        }
        m_l1.take(key); // replaced, not invalidated: take() leaves the invalidation count alone
        m_l2.take(key);
        m_negative.remove(key);
    }
    // Unless a later write moved the version on meanwhile (its fill is the one that counts).
    fillIfCurrent(key, version, {LoadResult::Status::Found, value, {}});
}

void TieredCache::invalidate(std::int64_t key)
{
    const InvalidationScope scope(*this);
    bumpVersion(key);
    m_l1.remove(key);
    m_l2.remove(key);
    m_negative.remove(key);
    m_invalidations.fetch_add(1, std::memory_order_relaxed);
}

void TieredCache::invalidate(const std::vector<std::int64_t> &keys)
{
    for (const std::int64_t key : keys)
        invalidate(key);
}

void TieredCache::invalidateAll()
{
    const InvalidationScope scope(*this);
    {
        // Every key's version moves: under every version lock (in order), as one invalidation.
        std::array<std::unique_lock<std::mutex>, kStripes> locks;
        for (std::size_t i = 0; i < kStripes; ++i)
            locks[i] = std::unique_lock(m_stripes[i].versionMutex);
        m_epoch.fetch_add(1);
    }
    m_l1.clear();
    m_l2.clear();
    m_negative.clear();
    m_invalidations.fetch_add(1, std::memory_order_relaxed);
}

void TieredCache::reconfigure(const TieredCacheConfig &config)
{
    std::lock_guard lock(m_configMutex);
    m_exclusive.store(config.mode == L2Mode::Exclusive);
    m_writeThrough.store(config.writePolicy == WritePolicy::WriteThrough);
    m_ttlOnly.store(config.writePolicy == WritePolicy::TtlOnly);
    const auto apply = [](CacheTier &tier, const CacheTierConfig &c, std::vector<CacheTier::Evicted> *evicted) {
        if (tier.policy() != c.policy)
            tier.setPolicy(c.policy);
        tier.setTtl(c.ttl);
        if (tier.capacity() != c.capacity)
            tier.setCapacity(c.capacity, evicted);
        if (tier.maxBytes() != c.maxBytes)
            tier.setMaxBytes(c.maxBytes, evicted);
    };
    std::vector<CacheTier::Evicted> evicted;
    apply(m_l2, config.l2, nullptr);
    const Transit transit = beginTransit();
    apply(m_l1, config.l1, &evicted);
    moveDown(evicted, transit);
    m_negative.setTtl(config.negativeTtl);
    if (m_negative.capacity() != config.negativeCapacity)
        m_negative.setCapacity(config.negativeCapacity);
    m_config = config;
}

std::size_t TieredCache::sweepExpired()
{
    return m_l1.sweepExpired() + m_l2.sweepExpired() + m_negative.sweepExpired();
}

TieredCacheConfig TieredCache::config() const
{
    std::lock_guard lock(m_configMutex);
    return m_config;
}

TieredCacheStats TieredCache::stats() const
{
    TieredCacheStats s;
    s.l1 = m_l1.stats();
    s.l2 = m_l2.stats();
    s.negativeHits = m_negativeHits.load();
    for (const Stripe &stripe : m_stripes) {
        s.loads += stripe.loads.load(std::memory_order_relaxed);
        s.loadFailures += stripe.loadFailures.load(std::memory_order_relaxed);
    }
    s.coalescedWaits = m_coalescedWaits.load();
    s.staleFillsDropped = m_staleFills.load();
    s.invalidations = m_invalidations.load();
    return s;
}

} // namespace cachescope
