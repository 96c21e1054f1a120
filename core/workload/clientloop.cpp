#include "core/workload/clientloop.h"

#include "core/cache/projectionfilter.h"
#include "core/db/database.h"
#include "core/db/rowcodec.h"
#include "core/load/callbackawaiter.h"
#include "core/metrics/tickclock.h"
#include "core/util/random.h"

#include <QMetaObject>

#include <algorithm>

namespace cachescope {

void YieldToEventLoop::await_suspend(std::coroutine_handle<> handle) const
{
    QMetaObject::invokeMethod(
        context, [handle] { handle.resume(); }, Qt::QueuedConnection);
}

void LoadWait::await_suspend(std::coroutine_handle<> handle)
{
    // Called back on the leader's thread, maybe this one, maybe at once: always resume through
    // the event loop, so the leader's stack unwinds first and the client stays on its thread.
    cache->whenLoaded(ticket, [this, handle](const LoadResult &loaded) {
        result = loaded;
        QMetaObject::invokeMethod(
            context, [handle] { handle.resume(); }, Qt::QueuedConnection);
    });
}

namespace {

void countRead(ClientHost &host, ClientCounters &counters, ReadSource source, const LoadResult &result)
{
    counters.reads.add();
    switch (source) {
    case ReadSource::L1:
        counters.hits.add();
        counters.l1Hits.add();
        break;
    case ReadSource::L2:
        counters.hits.add();
        counters.l2Hits.add();
        break;
    case ReadSource::Negative:
        counters.hits.add();
        counters.negativeHits.add();
        break;
    case ReadSource::Coalesced:
        counters.coalescedWaits.add();
        counters.misses.add();
        break;
    case ReadSource::Loaded:
        counters.misses.add();
        break;
    }
    if (result.status == LoadResult::Status::NotFound) {
        counters.notFound.add();
    } else if (result.status == LoadResult::Status::Failed) {
        counters.errors.add();
        host.requestFailed(result.error);
    }
}

// Records the request's latency; returns it (closed model) or 0 (open model, where a hit's
// latency includes its wait for the schedule and says nothing about what a hit costs).
std::int64_t recordLatency(ClientCounters &counters, bool open, std::uint64_t startTicks,
    std::chrono::steady_clock::time_point start, std::int64_t intended)
{
    if (!open) {
        const std::int64_t nanos = TickClock::toNanos(TickClock::now() - startTicks);
        counters.latency.record(nanos);
        return nanos;
    }
    const std::int64_t serviceNanos
        = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count();
    const std::int64_t startNanos
        = std::chrono::duration_cast<std::chrono::nanoseconds>(start.time_since_epoch()).count();
    counters.latency.record(serviceNanos + std::max<std::int64_t>(0, startNanos - intended));
    counters.service.record(serviceNanos);
    if (startNanos - intended > std::chrono::nanoseconds(kLateAfter).count())
        counters.late.add();
    return 0;
}

// The cached copy after a write, which rewrote the row with its own values or bumped its version
// (\a version, in column \a versionColumn): write-through puts the row as written back (the
// cached copy with the new version); invalidate drops it; ttl-only leaves it. A shared L2 is told
// the same (SET or DEL); the server then tells the other instances that read the key.
void afterWrite(TieredCache &cache, SharedTier *shared, std::int64_t key, std::int64_t version, int versionColumn)
{
    const WritePolicy policy = cache.config().writePolicy;
    if (policy == WritePolicy::TtlOnly)
        return;
    std::optional<QByteArray> cached = policy == WritePolicy::WriteThrough ? cache.peek(key) : std::nullopt;
    if (cached && versionColumn >= 0 && !RowCodec::setIntegerAt(*cached, versionColumn, version))
        cached.reset(); // a copy without the version column cannot be made current: dropped
    const std::optional<std::int64_t> written
        = versionColumn >= 0 && version > 0 ? std::optional<std::int64_t>(version) : std::nullopt;
    if (cached) {
        cache.written(key, *cached);
        if (shared)
            shared->put(key, *cached, written, true);
    } else {
        cache.invalidate(key);
        if (shared)
            shared->remove(key, written);
    }
}

// A read that returned \a row (its version in \a versionColumn): stale when older than \a known,
// the latest version committed before the read began. Counted, with the row's age.
void checkVersion(ClientCounters &counters, const VersionBook &versions, std::int64_t key, std::int64_t known,
    std::optional<std::int64_t> version)
{
    if (!version)
        return; // the row has no version (NULL): nothing to judge it by
    counters.checkedReads.add();
    if (*version >= known)
        return;
    counters.staleReads.add();
    const std::int64_t superseded = versions.supersededAt(key, *version);
    if (superseded > 0)
        counters.staleAge.record(std::max<std::int64_t>(0, TimerQueue::nowNanos() - superseded));
}

} // namespace

QCoro::Task<> runClient(ClientHost &host, ClientJob job, int clientIndex)
{
    KeyStream keys(job.keySpace, job.seed, std::uint64_t(clientIndex), job.phaseStart);
    ClientCounters &counters = *job.counters;
    TieredCache *cache = job.cache;
    const Projection &projection = *job.projection;
    const ValueFilter filter = coveringFilter(projection);
    std::uint64_t opState = job.seed * 0x2545f4914f6cdd1dULL + std::uint64_t(clientIndex) * kGoldenGamma;
    const auto stopped = [&job] { return job.stop->load(std::memory_order_relaxed); };
    // Every client starts after one turn of the loop, so all clients of the host get going.
    co_await YieldToEventLoop {job.context};
    int sinceYield = 0;
    std::uint64_t lastService = 0;
    const auto serviceTicks = std::uint64_t(double(std::chrono::nanoseconds(kServiceSharedTierEvery).count())
        / (double(TickClock::toNanos(1'000'000)) / 1e6));
    while (!stopped()) {
        // The gate lets as many clients run as workload.concurrency gives this host now; a client
        // beyond it waits here (never in the middle of a request). Until the first live change of
        // the number of clients there is no gate: no lock per request on the measured path.
        AsyncSemaphore *gate = *job.gate;
        if (gate)
            co_await gate->acquire(job.context);
        if (stopped()) {
            if (gate)
                gate->release();
            break;
        }
        // Open model: the request has an intended start on the arrival schedule; a client free
        // early waits for it, one free late starts at once and the delay counts in its latency
        // (no coordinated omission). Closed model: it starts now.
        const bool open = (*job.settings).rate > 0;
        bool suspended = false;
        std::int64_t intended = 0;
        if (open) {
            intended = host.nextArrival();
            if (intended > TimerQueue::nowNanos()) {
                co_await (*job.timers).sleepUntil(intended);
                suspended = true;
                if (stopped()) {
                    if (gate)
                        gate->release();
                    break;
                }
            }
        }
        if (job.shared) {
            // The tick clock (rdtsc) is read anyway; the poll costs a system call.
            const std::uint64_t now = TickClock::now();
            if (now - lastService >= serviceTicks) {
                lastService = now;
                job.shared->service();
            }
        }
        const std::int64_t key = keys.next();
        if (job.readTracker && cache)
            job.readTracker->record(key);
        // Closed model: the cheap tick clock; open model: steady_clock, the arrival schedule's.
        const std::uint64_t startTicks = job.recordLatency && !open ? TickClock::now() : 0;
        const auto start = open ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point {};
        LoadResult result;
        ReadSource source = ReadSource::Loaded;
        bool abandoned = false;
        // The operation: a read, or (with workload.read_ratio < 1) a write of the row. Drawn from
        // the client's own seeded stream, so both phases do the same operations.
        const bool write = job.readRatio < 1.0 && nextUnit(opState) >= job.readRatio;
        // Stale reads: the latest version committed before this read began, and the version of
        // the row it returns.
        const bool checked = job.versions && cache && !write;
        const std::int64_t known = checked ? job.versions->latest(key) : 0;
        std::optional<std::int64_t> readVersion;
        bool needsStatement = false; // the database must answer (a write, a miss, a baseline read)
        std::optional<TieredCache::LoadTicket> leading;
        if (write || !cache) {
            needsStatement = true; // a write, or a baseline read
        } else if (const std::optional<ReadSource> hit = cache->readCachedInPlace(
                       key,
                       [&result, &readVersion, checked, column = job.versionColumn](const QByteArray &row) {
                           result.status = LoadResult::Status::Found;
                           if (checked)
                               readVersion = RowCodec::integerAt(row, column);
                       },
                       &filter)) {
            // The row is read where the cache holds it (the filter has checked its columns): an
            // application reading a hit has no reason to copy it, nor to bump a reference count
            // on a row other threads read too.
            source = *hit;
        } else {
            TieredCache::LoadTicket ticket = cache->beginLoad(key);
            if (ticket.isLeader()) {
                // The row arrives one round-trip later (or with its batch); followers wait for it.
                leading.emplace(std::move(ticket));
                needsStatement = true;
                if (job.shared) {
                    // A shared L2 first: one round-trip to the server, other clients go on meanwhile.
                    SharedTier *shared = job.shared;
                    CallbackAwaiter<SharedRead> ask(
                        [shared, key](const CallbackAwaiter<SharedRead>::Completion &done) { shared->get(key, done); });
                    SharedRead below = co_await ask;
                    suspended = true;
                    if (job.recordLatency)
                        counters.l2RoundTrip.record(below.nanos);
                    if (below.status == SharedRead::Status::Hit && filter(below.value)) {
                        result.status = LoadResult::Status::Found;
                        result.value = std::move(below.value);
                        result.fromSharedTier = true;
                        source = ReadSource::L2;
                        needsStatement = false;
                    } else if (below.status == SharedRead::Status::Failed) {
                        counters.l2Errors.add();
                    }
                }
            } else {
                LoadWait wait {cache, std::move(ticket), job.context, {}};
                result = co_await wait;
                suspended = true;
                source = result.fromSharedTier ? ReadSource::L2 : ReadSource::Coalesced;
                // The leader may have loaded fewer columns than this client needs.
                if (result.status == LoadResult::Status::Found && !filter(result.value)) {
                    source = ReadSource::Loaded;
                    needsStatement = true;
                }
            }
        }
        if (needsStatement) {
            bool mayWait = false;
            if (!host.statementNow(key, projection, write, result, mayWait)) {
                QCoro::Task<LoadResult> pending = host.statementAwaited(key, &projection, write, job.stop, &abandoned);
                result = co_await pending; // awaited as a named task (g++ 12)
            }
            suspended = suspended || mayWait;
        }
        if (leading) {
            const bool loaded = source == ReadSource::Loaded && result.status == LoadResult::Status::Found;
            // A row the database gave fills the shared L2 too, unless an invalidation overtook the
            // load (the L1 fill was dropped: the row may be older than a write).
            if (cache->finishLoad(*leading, result) && loaded && job.shared && !write) {
                // Sent at once: the sooner it reaches the server, the fewer reads miss it.
                job.shared->put(key, result.value,
                    job.versions ? RowCodec::integerAt(result.value, job.versionColumn) : std::nullopt, true);
            }
        }
        if (write && result.status == LoadResult::Status::Found && job.versions && result.version > 0)
            job.versions->committed(key, result.version, TimerQueue::nowNanos());
        if (write && cache && result.status != LoadResult::Status::Failed)
            afterWrite(*cache, job.shared, key, result.version, job.versions ? job.versionColumn : -1);
        // A request whose round-trip the phase's end cut short did not complete: it is not
        // counted (its statement is, as the database did execute it); nor one whose statement
        // failed because the phase's end interrupted it (a lock wait, a stall).
        if (result.status == LoadResult::Status::Failed && isInterruption(result.errorCode) && stopped())
            abandoned = true;
        if (abandoned) {
            if (gate)
                gate->release();
            break;
        }
        if (job.recordLatency) { // engine.metrics=off: counts only (the cost of measuring, measured)
            const std::int64_t nanos = recordLatency(counters, open, startTicks, start, intended);
            if (!write && source != ReadSource::Loaded && source != ReadSource::Coalesced)
                counters.hitNanos.add(std::uint64_t(nanos));
        }
        counters.requests.add();
        if (write) {
            counters.writes.add();
            if (result.status == LoadResult::Status::Failed) {
                counters.errors.add();
                host.requestFailed(result.error);
            }
        } else {
            countRead(host, counters, source, result);
            if (checked && result.status == LoadResult::Status::Found) {
                if (source == ReadSource::Loaded || source == ReadSource::Coalesced || result.fromSharedTier)
                    readVersion = RowCodec::integerAt(result.value, job.versionColumn);
                checkVersion(counters, *job.versions, key, known, readVersion);
            }
        }
        if (gate)
            gate->release();
        if (const auto think = (*job.settings).thinkTime; think.count() > 0 && !stopped()) {
            co_await (*job.timers).sleepFor(think);
            suspended = true;
        }
        if (suspended) {
            sinceYield = 0;
        } else if ((sinceYield
                       += (source == ReadSource::L1 || source == ReadSource::L2) && !write ? 1 : kDatabaseWeight)
            >= kYieldEvery) {
            sinceYield = 0;
            co_await YieldToEventLoop {job.context};
        }
    }
}

} // namespace cachescope
