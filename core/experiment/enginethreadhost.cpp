#include "core/experiment/enginethreadhost.h"

#include "core/db/rowcodec.h"
#include "core/metrics/tickclock.h"
#include "core/util/random.h"

#include <QMetaObject>

#include <algorithm>
#include <chrono>
#include <cmath>

using namespace Qt::StringLiterals;

namespace cachescope::detail {

EngineThreadHost::EngineThreadHost(int index, DataSourceSpec spec)
    : m_index(index)
    , m_spec(std::move(spec))
{
}

EngineThreadHost::~EngineThreadHost() = default;

QString EngineThreadHost::open(int statements)
{
    try {
        m_connection = openDataSource(m_spec);
        m_connection->prepareFor(statements);
        m_inline = m_connection->capabilities().runsInline;
        m_timers = std::make_unique<TimerQueue>();
        m_connectionForStats.store(m_connection.get(), std::memory_order_release);
        return {};
    } catch (const DbError &error) {
        return error.message();
    }
}

QString EngineThreadHost::openSharedTier(const RedisTierConfig &config)
{
    try {
        m_redis = std::make_unique<RedisTier>(config);
        m_redis->open();
        return {};
    } catch (const RedisError &error) {
        m_redis.reset();
        return QString::fromUtf8(error.what());
    }
}

DataSourceStats EngineThreadHost::databaseStats() const
{
    const DataSource *connection = m_connectionForStats.load(std::memory_order_acquire);
    return connection ? connection->stats() : DataSourceStats {};
}

QString EngineThreadHost::firstError() const
{
    std::lock_guard lock(m_errorMutex);
    return m_firstError;
}

void EngineThreadHost::abandonStatements()
{
    if (m_connection && m_job.stop && m_job.stop->load())
        m_connection->abandonInFlight();
    if (m_redis && m_job.stop && m_job.stop->load())
        m_redis->abandon();
}

void EngineThreadHost::wakeSleepers()
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

void EngineThreadHost::applyLive(const ClientSettings &live)
{
    if (!m_gate || !m_job.stop || m_job.stop->load())
        return;
    if (live.failureRate != m_live.failureRate)
        m_connection->setFailureRate(
            live.failureRate, m_job.seed * 1000003 + std::uint64_t(m_index) + m_spawned.size());
    m_live = live;
    m_activeGate = m_gate.get(); // from now on the gate counts (clients in a request now finish it first)
    m_gate->setLimit(int(live.clients.size()));
    for (const int client : live.clients) {
        if (std::find(m_spawned.begin(), m_spawned.end(), client) == m_spawned.end())
            spawn(client);
    }
}

void EngineThreadHost::spawn(int clientIndex)
{
    m_spawned.push_back(clientIndex);
    ++m_activeClients;
    // Fire and forget: QCoro keeps the frame alive until the coroutine ends, and this worker
    // outlives its clients (the runner waits for phaseFinished before deleting it).
    hostClient(clientIndex);
}

LoadResult EngineThreadHost::loadNow(std::int64_t key, const Projection &projection)
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

bool EngineThreadHost::statementNow(
    std::int64_t key, const Projection &projection, bool write, LoadResult &result, bool &mayWait)
{
    const bool remote = m_live.rtt.count() > 0 || m_live.rttJitter.count() > 0;
    mayWait = remote || m_pool || (!write && m_batchLoader) || !m_inline;
    // A local database without pool, retries or batching: the statement runs right here, and no
    // coroutine is made for it (the uncached baseline's path, as a bare program's).
    if (mayWait || m_job.retry.maxAttempts > 1)
        return false;
    result = write ? writeNow(key, projection) : loadNow(key, projection);
    return true;
}

QCoro::Task<LoadResult> EngineThreadHost::statementAwaited(
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
        if (m_inline) {
            result = write ? writeNow(key, *projection) : loadNow(key, *projection);
        } else if (write) {
            QCoro::Task<LoadResult> op = m_connection->rewrite(key, projection);
            result = co_await op;
        } else {
            // The uncached baseline keeps nothing of the row (see loadNow).
            QCoro::Task<LoadResult> op = m_connection->load(key, projection, m_job.cache != nullptr);
            result = co_await op;
        }
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

LoadResult EngineThreadHost::writeNow(std::int64_t key, const Projection &projection)
{
    try {
        const std::optional<std::int64_t> version = m_connection->rewriteRow(key, projection);
        LoadResult result {version ? LoadResult::Status::Found : LoadResult::Status::NotFound, {}, {}};
        result.version = version.value_or(0);
        return result;
    } catch (const DbError &e) {
        return {LoadResult::Status::Failed, {}, e.message(), e.code()};
    }
}

std::chrono::nanoseconds EngineThreadHost::roundTrip()
{
    const ClientSettings &job = m_live;
    if (job.rttJitter.count() <= 0)
        return job.rtt;
    const double u = nextUnit(m_jitterState) * 2.0 - 1.0; // uniform in [-1, 1)
    return std::max(std::chrono::nanoseconds(0),
        job.rtt + std::chrono::nanoseconds(std::llround(u * double(job.rttJitter.count()))));
}

std::int64_t EngineThreadHost::nextArrival()
{
    // Arrivals of this worker's share of workload.rate, seeded: constant gaps, or exponential
    // ones (a Poisson process). A rate changed live applies from the next gap.
    const double mean = 1e9 / std::max(m_live.rate, 1e-9);
    double gap = mean;
    if (m_job.poisson) {
        const double u = (double(nextRandom(m_arrivalState) >> 11) + 0.5) * 0x1.0p-53; // (0, 1)
        gap = -std::log(u) * mean;
    }
    const std::int64_t intended = m_nextArrival;
    m_nextArrival += std::int64_t(std::llround(gap));
    return intended;
}

void EngineThreadHost::startPhase(const PhaseJob &job)
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
    // Read your writes: a key written within db.primary_after_write is read on the primary.
    std::function<bool(std::int64_t)> wroteRecently;
    if (job.versions && m_spec.primaryAfterWrite.count() > 0 && !m_spec.replicas.isEmpty()) {
        wroteRecently = [book = job.versions, window = m_spec.primaryAfterWrite.count()](std::int64_t key) {
            const std::int64_t at = book->latestAt(key);
            return at > 0 && TimerQueue::nowNanos() - at < window;
        };
    }
    m_connection->setRecentWrites(wroteRecently);
    m_spawned.clear();
    m_gate = std::make_unique<AsyncSemaphore>(int(job.clients.size()));
    m_activeGate = nullptr;
    m_pool.reset();
    if (job.connections > 0) {
        // A server's connection carries db.pipeline_depth statements at once.
        const int perConnection = m_inline ? 1 : std::max(1, m_spec.pipelineDepth);
        m_pool = std::make_unique<AsyncSemaphore>(job.connections * perConnection);
    }
    try {
        // Opened in open() already, unless live changes or a larger phase need more (their time
        // then falls in duration.warmup, left out of the phase's figures).
        m_connection->prepareFor(int(job.clients.size()) + (job.warmup ? job.warmup->concurrency : 0));
    } catch (const DbError &e) {
        requestFailed(e.message()); // the connections there are carry the load; more are tried later
    }
    m_batchLoader.reset();
    if (job.batchLoads && job.cache) {
        const Projection *projection = job.projection ? job.projection.get() : &m_connection->allColumns();
        DataSource *connection = m_connection.get();
        m_batchLoader = std::make_unique<BatchLoader>(m_timers.get(),
            BatchLoader::AsyncFetch(
                [connection, projection](const std::vector<std::int64_t> &keys, const DataSource::RowsDone &done) {
                    connection->loadRows(keys, projection, done);
                }),
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
    if (m_redis) {
        if (!job.l2Prefix.isEmpty() && job.cache) {
            m_redis->setPrefix(job.l2Prefix);
            // Another instance's write (or a lost tracking connection: everything) reaches this
            // instance's L1 here, on this thread.
            m_redis->setInvalidationHandler([this](std::int64_t key) { invalidatedElsewhere(key); });
        } else {
            m_redis->setInvalidationHandler({});
        }
    }
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

QCoro::Task<> EngineThreadHost::runWarmupJob(std::shared_ptr<WarmupJob> job)
{
    const Projection *projection = m_job.projection ? m_job.projection.get() : &m_connection->allColumns();
    DataSource *connection = m_connection.get();
    WarmupOptions options;
    options.concurrency = job->concurrency;
    options.background = job->background;
    options.connections = m_pool.get();
    options.retry = m_job.retry;
    options.seed = m_job.seed * 92821 + std::uint64_t(m_index);
    if (m_live.rtt.count() > 0 || m_live.rttJitter.count() > 0)
        options.roundTrip = [this] { return roundTrip(); };
    QCoro::Task<BatchOutcome<int>> run = runWarmup(this, m_timers.get(), m_job.cache.get(),
        AsyncRowsLoader([connection, projection](const std::vector<std::int64_t> &keys,
                            const DataSource::RowsDone &done) { connection->loadRows(keys, projection, done); }),
        job->chunks, std::move(options), job->control, job->counters.get());
    const BatchOutcome<int> outcome = co_await run;
    Q_UNUSED(outcome);
    Q_EMIT warmupFinished(m_index);
    clientDone();
}

void EngineThreadHost::requestFailed(const QString &error)
{
    std::lock_guard lock(m_errorMutex);
    if (m_firstError.isEmpty())
        m_firstError = error;
}

QCoro::Task<> EngineThreadHost::hostClient(int clientIndex)
{
    ClientJob job;
    job.keySpace = m_job.keySpace;
    job.seed = m_job.seed;
    job.phaseStart = m_phaseStart;
    job.cache = m_job.cache.get();
    job.projection = m_job.projection ? m_job.projection.get() : &m_connection->allColumns();
    job.readRatio = m_job.readRatio;
    job.recordLatency = m_job.recordLatency;
    job.stop = m_job.stop.get();
    job.counters = m_job.counters.get();
    job.context = this;
    job.timers = m_timers.get();
    job.settings = &m_live;
    job.gate = &m_activeGate;
    job.readTracker = m_tracker.get();
    job.versions = m_job.versions.get();
    job.versionColumn = m_job.versionColumn;
    job.shared = m_redis && !m_job.l2Prefix.isEmpty() && m_job.cache ? m_redis.get() : nullptr;
    // The job's shared parts (key space, cache, stop flag, counters) stay alive in m_job until
    // the phase has finished, that is until every client has returned.
    co_await runClient(*this, std::move(job), clientIndex);
    clientDone();
}

void EngineThreadHost::clientDone()
{
    if (--m_activeClients != 0)
        return;
    Q_EMIT phaseFinished(m_index);
}

std::int64_t EngineThreadHost::clearSharedTier(const QList<QByteArray> &prefixes, std::int64_t *usedMemory)
{
    if (!m_redis)
        return 0;
    m_redis->setInvalidationHandler({});
    // What the server held at the run's end (INFO memory's used_memory), before the keys go.
    for (const QByteArray &line : m_redis->info("memory").split('\n')) {
        if (line.startsWith("used_memory:"))
            *usedMemory = line.mid(12).trimmed().toLongLong();
    }
    std::int64_t deleted = 0;
    for (const QByteArray &prefix : prefixes)
        deleted += m_redis->clear(prefix);
    return deleted;
}

void EngineThreadHost::invalidatedElsewhere(std::int64_t key)
{
    TieredCache *cache = m_job.cache.get();
    if (!cache || !m_job.counters)
        return;
    if (key < 0) {
        cache->invalidateAll();
        return;
    }
    // The delay from a write's commit to this moment, for a copy the write made stale (an
    // invalidation can also follow another instance's fill, which is no write; or find no copy).
    if (m_job.versions && m_job.versionColumn >= 0) {
        if (const std::optional<QByteArray> copy = cache->peek(key)) {
            const std::optional<std::int64_t> version = RowCodec::integerAt(*copy, m_job.versionColumn);
            if (version && *version < m_job.versions->latest(key)) {
                const std::int64_t delay = TimerQueue::nowNanos() - m_job.versions->latestAt(key);
                if (delay >= 0)
                    m_job.counters->invalidationDelay.record(delay);
            }
        }
    }
    cache->invalidate(key);
    m_job.counters->l2Invalidations.add();
}

} // namespace cachescope::detail
