#include "core/experiment/engineworker.h"

#include "core/cache/projectionfilter.h"
#include "core/metrics/tickclock.h"

#include <QMetaObject>

#include <algorithm>
#include <chrono>
#include <cmath>

using namespace Qt::StringLiterals;

namespace cachescope::detail {

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

EngineWorker::EngineWorker(int index, DataSourceSpec spec)
    : m_index(index)
    , m_spec(std::move(spec))
{
}

EngineWorker::~EngineWorker() = default;

QString EngineWorker::open()
{
    try {
        m_connection = std::make_unique<DataSourceConnection>(m_spec);
        m_timers = std::make_unique<TimerQueue>();
        m_connectionForStats.store(m_connection.get(), std::memory_order_release);
        return {};
    } catch (const DbError &error) {
        return error.message();
    }
}

DataSourceStats EngineWorker::databaseStats() const
{
    const DataSourceConnection *connection = m_connectionForStats.load(std::memory_order_acquire);
    return connection ? connection->stats() : DataSourceStats {};
}

QString EngineWorker::firstError() const
{
    std::lock_guard lock(m_errorMutex);
    return m_firstError;
}

void EngineWorker::wakeSleepers()
{
    if (m_timers)
        m_timers->wakeAll();
    if (m_job.stop && m_job.stop->load()) {
        if (m_gate)
            m_gate->setLimit(1 << 30); // clients waiting at the gate see the stop flag
        if (m_pool)
            m_pool->setLimit(1 << 30);
        if (m_batchLoader)
            m_batchLoader->flush();
        if (m_job.warmup)
            m_job.warmup->control->cancel();
    }
}

void EngineWorker::applyLive(const LiveSettings &live)
{
    if (!m_gate || !m_job.stop || m_job.stop->load())
        return;
    if (live.failureRate != m_live.failureRate)
        m_connection->setFailureRate(
            live.failureRate, m_job.seed * 1000003 + std::uint64_t(m_index) + m_spawned.size());
    m_live = live;
    m_gateActive = true; // from now on the gate counts (clients in a request now finish it first)
    m_gate->setLimit(int(live.clients.size()));
    for (const int client : live.clients) {
        if (std::find(m_spawned.begin(), m_spawned.end(), client) == m_spawned.end())
            spawn(client);
    }
}

void EngineWorker::spawn(int clientIndex)
{
    m_spawned.push_back(clientIndex);
    ++m_activeClients;
    // Fire and forget: QCoro keeps the frame alive until the coroutine ends, and this worker
    // outlives its clients (the runner waits for phaseFinished before deleting it).
    runClient(m_job, clientIndex);
}

LoadResult EngineWorker::loadNow(std::int64_t key, const Projection &projection)
{
    try {
        if (!m_job.cache) {
            // The uncached baseline reads every column, as a plain application would, and has no
            // cache to fill: encoding the row (an allocation and a copy of ~1 KB) is work only the
            // cached phase needs (no speed difference measured: docs/benchmarks.md).
            return m_connection->consumeRow(key, projection) ? LoadResult {LoadResult::Status::Found, {}, {}}
                                                             : LoadResult {LoadResult::Status::NotFound, {}, {}};
        }
        std::optional<QByteArray> row = m_connection->readRow(key, projection);
        return row ? LoadResult {LoadResult::Status::Found, std::move(*row), {}}
                   : LoadResult {LoadResult::Status::NotFound, {}, {}};
    } catch (const DbError &e) {
        return {LoadResult::Status::Failed, {}, e.message(), e.code()};
    }
}

QCoro::Task<LoadResult> EngineWorker::statement(
    std::int64_t key, const Projection *projection, bool write, const std::atomic<bool> *stop, bool *abandoned)
{
    if (!write && m_batchLoader) {
        BatchLoader::Load op = m_batchLoader->load(key);
        LoadResult result = co_await op;
        // Rows delivered because the phase ended (sleepers woken) did not arrive in time.
        *abandoned = stop->load(std::memory_order_relaxed);
        co_return result;
    }
    // A connection of the pool (db.connections) is held for the statement, its round-trip and
    // any retries.
    if (m_pool)
        co_await m_pool->acquire(this);
    const std::int64_t first = TimerQueue::nowNanos();
    LoadResult result;
    for (int attempt = 1;; ++attempt) {
        result = write ? writeNow(key, *projection) : loadNow(key, *projection);
        if (m_live.rtt.count() > 0 || m_live.rttJitter.count() > 0) {
            const std::int64_t arrival = TimerQueue::nowNanos() + roundTrip().count();
            co_await m_timers->sleepUntil(arrival);
            *abandoned = TimerQueue::nowNanos() < arrival; // woken early: the phase ended
        }
        if (result.status != LoadResult::Status::Failed || *abandoned || !isRetryable(result.errorCode)
            || !m_job.retry.mayRetry(attempt, std::chrono::nanoseconds(TimerQueue::nowNanos() - first))
            || stop->load(std::memory_order_relaxed))
            break;
        m_job.counters->retries.add();
        co_await m_timers->sleepFor(m_job.retry.delayBefore(attempt, m_retryState));
    }
    if (m_pool)
        m_pool->release();
    co_return result;
}

LoadResult EngineWorker::writeNow(std::int64_t key, const Projection &projection)
{
    try {
        const bool found = m_connection->rewriteRow(key, projection);
        return {found ? LoadResult::Status::Found : LoadResult::Status::NotFound, {}, {}};
    } catch (const DbError &e) {
        return {LoadResult::Status::Failed, {}, e.message(), e.code()};
    }
}

double EngineWorker::nextUnit(std::uint64_t &state)
{
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return double(z >> 11) * 0x1.0p-53;
}

std::chrono::nanoseconds EngineWorker::roundTrip()
{
    const LiveSettings &job = m_live;
    if (job.rttJitter.count() <= 0)
        return job.rtt;
    std::uint64_t z = (m_jitterState += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    const double u = double(z >> 11) * 0x1.0p-53 * 2.0 - 1.0; // uniform in [-1, 1)
    return std::max(std::chrono::nanoseconds(0),
        job.rtt + std::chrono::nanoseconds(std::llround(u * double(job.rttJitter.count()))));
}

std::int64_t EngineWorker::nextArrival()
{
    // Arrivals of this worker's share of workload.rate, seeded: constant gaps, or exponential
    // ones (a Poisson process). A rate changed live applies from the next gap.
    const double mean = 1e9 / std::max(m_live.rate, 1e-9);
    double gap = mean;
    if (m_job.poisson) {
        std::uint64_t z = (m_arrivalState += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        z ^= z >> 31;
        const double u = (double(z >> 11) + 0.5) * 0x1.0p-53; // (0, 1)
        gap = -std::log(u) * mean;
    }
    const std::int64_t intended = m_nextArrival;
    m_nextArrival += std::int64_t(std::llround(gap));
    return intended;
}

void EngineWorker::startPhase(PhaseJob job)
{
    m_connection->setStall(job.stall, job.stallEvery);
    m_connection->setInterrupt(job.stop.get());
    m_arrivalState = job.seed * 104729 + std::uint64_t(m_index);
    m_nextArrival = TimerQueue::nowNanos();
    m_phaseStart = m_nextArrival;
    m_connection->setFailureRate(job.failureRate, job.seed * 1000003 + std::uint64_t(m_index));
    m_jitterState = job.seed * 7919 + std::uint64_t(m_index);
    m_retryState = job.seed * 6271 + std::uint64_t(m_index);
    m_live = {job.rtt, job.rttJitter, job.thinkTime, job.failureRate, job.clients, job.rate};
    m_job = job;
    m_spawned.clear();
    m_gate = std::make_unique<AsyncSemaphore>(int(job.clients.size()));
    m_gateActive = false;
    m_pool.reset();
    if (job.connections > 0)
        m_pool = std::make_unique<AsyncSemaphore>(job.connections);
    m_batchLoader.reset();
    if (job.batchLoads && job.cache) {
        const Projection *projection = job.projection ? job.projection.get() : &m_connection->allColumns();
        DataSourceConnection *connection = m_connection.get();
        m_batchLoader = std::make_unique<BatchLoader>(
            m_timers.get(),
            [connection, projection](
                const std::vector<std::int64_t> &keys) { return connection->readRows(keys, *projection); },
            [this] { return roundTrip(); });
        m_batchLoader->setWindow(job.batchWindow);
        m_batchLoader->setMaxBatch(job.batchMax);
        m_batchLoader->setConnections(m_pool.get());
        m_batchLoader->setRetry(job.retry, job.seed * 31 + std::uint64_t(m_index));
        m_batchLoader->setRetryCounter(&job.counters->retries);
    }
    m_tracker.reset();
    if (job.tracking.capacity > 0)
        m_tracker = std::make_unique<HotKeyTracker>(
            job.tracking.capacity, job.tracking.agingPeriod, job.tracking.sampleEvery);
    m_activeClients.store(0);
    if (job.clients.empty() && !job.warmup) {
        Q_EMIT phaseFinished(m_index);
        return;
    }
    for (const int client : job.clients)
        spawn(client);
    if (job.warmup) {
        // The warm-up counts as one more client: the phase ends when it has stopped too.
        ++m_activeClients;
        runWarmupJob(job.warmup);
    }
}

QCoro::Task<> EngineWorker::runWarmupJob(std::shared_ptr<WarmupJob> job)
{
    const Projection *projection = m_job.projection ? m_job.projection.get() : &m_connection->allColumns();
    DataSourceConnection *connection = m_connection.get();
    WarmupOptions options;
    options.concurrency = job->concurrency;
    options.background = job->background;
    options.connections = m_pool.get();
    options.retry = m_job.retry;
    options.seed = m_job.seed * 92821 + std::uint64_t(m_index);
    if (m_live.rtt.count() > 0 || m_live.rttJitter.count() > 0)
        options.roundTrip = [this] { return roundTrip(); };
    QCoro::Task<BatchOutcome<int>> run = runWarmup(
        this, m_timers.get(), m_job.cache.get(),
        [connection, projection](
            const std::vector<std::int64_t> &keys) { return connection->readRows(keys, *projection); },
        job->chunks, std::move(options), job->control, job->counters.get());
    const BatchOutcome<int> outcome = co_await run;
    Q_UNUSED(outcome);
    Q_EMIT warmupFinished(m_index);
    clientDone();
}

QCoro::Task<> EngineWorker::runClient(PhaseJob job, int clientIndex)
{
    using Clock = std::chrono::steady_clock;
    KeyStream keys(job.keySpace, job.seed, std::uint64_t(clientIndex), m_phaseStart);
    WorkerCounters &counters = *job.counters;
    TieredCache *cache = job.cache.get();
    const Projection &projection = job.projection ? *job.projection : m_connection->allColumns();
    const ValueFilter filter = coveringFilter(projection);
    AsyncSemaphore *gate = m_gate.get();
    std::uint64_t opState = job.seed * 0x2545f4914f6cdd1dULL + std::uint64_t(clientIndex) * 0x9e3779b97f4a7c15ULL;
    // Every client starts after one turn of the loop, so all clients of the worker get going.
    co_await YieldToEventLoop {this};
    int sinceYield = 0;
    while (!job.stop->load(std::memory_order_relaxed)) {
        // The gate lets as many clients run as workload.concurrency gives this worker now; a
        // client beyond it waits here (never in the middle of a request).
        // Until the first live change of the number of clients the gate is open (every client
        // runs) and not even taken: no lock per request on the measured path.
        const bool held = m_gateActive;
        if (held)
            co_await gate->acquire(this);
        if (job.stop->load(std::memory_order_relaxed)) {
            if (held)
                gate->release();
            break;
        }
        const bool remote = m_live.rtt.count() > 0 || m_live.rttJitter.count() > 0;
        // A local database without pool or retries: the statement runs right here, no task made.
        const bool direct = !remote && !m_pool && job.retry.maxAttempts <= 1;
        // Open model: the request has an intended start on the arrival schedule; a client free
        // early waits for it, one free late starts at once and the delay counts in its latency
        // (no coordinated omission). Closed model: it starts now.
        bool suspended = false;
        std::int64_t intended = 0;
        if (m_live.rate > 0) {
            intended = nextArrival();
            if (intended > TimerQueue::nowNanos()) {
                co_await m_timers->sleepUntil(intended);
                suspended = true;
                if (job.stop->load(std::memory_order_relaxed)) {
                    if (held)
                        gate->release();
                    break;
                }
            }
        }
        const std::int64_t key = keys.next();
        const bool open = m_live.rate > 0;
        if (m_tracker && cache)
            m_tracker->record(key);
        // Closed model: the cheap tick clock; open model: steady_clock, the arrival schedule's.
        const std::uint64_t startTicks = job.recordLatency && !open ? TickClock::now() : 0;
        const auto start = open ? Clock::now() : Clock::time_point {};
        LoadResult result;
        ReadSource source = ReadSource::Loaded;
        bool abandoned = false;
        // The operation: a read, or (with workload.read_ratio < 1) a write of the row. Drawn from
        // the client's own seeded stream, so both phases do the same operations.
        const bool write = job.readRatio < 1.0 && nextUnit(opState) >= job.readRatio;
        if (write) {
            if (direct) {
                result = writeNow(key, projection);
            } else {
                QCoro::Task<LoadResult> store = statement(key, &projection, true, job.stop.get(), &abandoned);
                result = co_await store;
            }
            suspended = suspended || remote || m_pool;
            if (cache && result.status != LoadResult::Status::Failed) {
                // The write rewrote the row with its own values, so a cached copy (any projection)
                // is still the row: write-through puts it back; invalidate drops it.
                std::optional<QByteArray> cached
                    = cache->config().writePolicy == WritePolicy::WriteThrough ? cache->peek(key) : std::nullopt;
                if (cached)
                    cache->written(key, *cached);
                else
                    cache->invalidate(key);
            }
        } else if (const std::optional<ReadSource> hit = cache
                ? cache->readCachedInPlace(
                    key, [&result](const QByteArray &) { result.status = LoadResult::Status::Found; }, &filter)
                : std::nullopt) {
            // The row is read where the cache holds it (the filter has checked its columns): an
            // application reading a hit has no reason to copy it, nor to bump a reference count
            // on a row other threads read too.
            source = *hit;
        } else if (cache) {
            TieredCache::LoadTicket ticket = cache->beginLoad(key);
            if (ticket.isLeader()) {
                // The row arrives one round-trip later (or with its batch); followers wait for it.
                if (direct && !m_batchLoader) {
                    result = loadNow(key, projection);
                } else {
                    QCoro::Task<LoadResult> load = statement(key, &projection, false, job.stop.get(), &abandoned);
                    result = co_await load;
                }
                suspended = suspended || remote || m_pool || m_batchLoader;
                cache->finishLoad(ticket, result);
            } else {
                LoadWait wait {cache, std::move(ticket), this, {}};
                result = co_await wait;
                suspended = true;
                source = ReadSource::Coalesced;
                // The leader may have loaded fewer columns than this client needs.
                if (result.status == LoadResult::Status::Found && !filter(result.value)) {
                    source = ReadSource::Loaded;
                    if (direct && !m_batchLoader) {
                        result = loadNow(key, projection);
                    } else {
                        QCoro::Task<LoadResult> load = statement(key, &projection, false, job.stop.get(), &abandoned);
                        result = co_await load;
                    }
                }
            }
        } else {
            if (direct) {
                result = loadNow(key, projection);
            } else {
                QCoro::Task<LoadResult> load = statement(key, &projection, false, job.stop.get(), &abandoned);
                result = co_await load;
            }
            suspended = suspended || remote || m_pool;
        }
        // A request whose round-trip the phase's end cut short did not complete: it is not
        // counted (its statement is, as the database did execute it); nor one whose statement
        // failed because the phase's end interrupted it (a lock wait, a stall).
        if (result.status == LoadResult::Status::Failed && isInterruption(result.errorCode)
            && job.stop->load(std::memory_order_relaxed))
            abandoned = true;
        if (abandoned) {
            if (held)
                gate->release();
            break;
        }
        if (!job.recordLatency) {
            // engine.metrics=off: counts only (the cost of measuring, measured)
        } else if (open) {
            const std::int64_t serviceNanos
                = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
            const std::int64_t startNanos
                = std::chrono::duration_cast<std::chrono::nanoseconds>(start.time_since_epoch()).count();
            counters.latency.record(serviceNanos + std::max<std::int64_t>(0, startNanos - intended));
            counters.service.record(serviceNanos);
            if (startNanos - intended > std::chrono::nanoseconds(kLateAfter).count())
                counters.late.add();
        } else {
            counters.latency.record(TickClock::toNanos(TickClock::now() - startTicks));
        }
        counters.requests.add();
        if (write) {
            counters.writes.add();
            if (result.status == LoadResult::Status::Failed) {
                counters.errors.add();
                std::lock_guard lock(m_errorMutex);
                if (m_firstError.isEmpty())
                    m_firstError = result.error;
            }
        } else {
            countRead(counters, source, result);
        }
        if (held)
            gate->release();
        if (m_live.thinkTime.count() > 0 && !job.stop->load(std::memory_order_relaxed)) {
            co_await m_timers->sleepFor(m_live.thinkTime);
            suspended = true;
        }
        if (suspended) {
            sinceYield = 0;
        } else if ((sinceYield
                       += (source == ReadSource::L1 || source == ReadSource::L2) && !write ? 1 : kDatabaseWeight)
            >= kYieldEvery) {
            sinceYield = 0;
            co_await YieldToEventLoop {this};
        }
    }
    clientDone();
}

void EngineWorker::countRead(WorkerCounters &counters, ReadSource source, const LoadResult &result)
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
        std::lock_guard lock(m_errorMutex);
        if (m_firstError.isEmpty())
            m_firstError = result.error;
    }
}

void EngineWorker::clientDone()
{
    if (--m_activeClients == 0)
        Q_EMIT phaseFinished(m_index);
}

} // namespace cachescope::detail
