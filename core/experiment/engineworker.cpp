#include "core/experiment/engineworker.h"

#include <QMetaObject>

#include <chrono>

using namespace Qt::StringLiterals;

namespace cachescope::detail {

void YieldToEventLoop::await_suspend(std::coroutine_handle<> handle) const
{
    QMetaObject::invokeMethod(
        context, [handle] { handle.resume(); }, Qt::QueuedConnection);
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

void EngineWorker::startPhase(PhaseJob job)
{
    m_activeClients.store(int(job.clients.size()));
    if (job.clients.empty()) {
        Q_EMIT phaseFinished(m_index);
        return;
    }
    for (const int client : job.clients) {
        // Fire and forget: QCoro keeps the frame alive until the coroutine ends, and this
        // worker outlives its clients (the runner waits for phaseFinished before deleting it).
        runClient(job, client);
    }
}

QCoro::Task<> EngineWorker::runClient(PhaseJob job, int clientIndex)
{
    using Clock = std::chrono::steady_clock;
    KeyStream keys(job.keySpace, job.seed, std::uint64_t(clientIndex));
    WorkerCounters &counters = *job.counters;
    TieredCache *cache = job.cache.get();
    DataSourceConnection *connection = m_connection.get();
    const Projection *projection = job.projection ? job.projection.get() : &connection->allColumns();
    const ValueFilter filter = projection->cacheFilter();
    const TieredCache::Loader loader = [connection, projection](std::int64_t key) {
        std::optional<QByteArray> row = connection->readRow(key, *projection);
        return row ? LoadResult {LoadResult::Status::Found, std::move(*row), {}}
                   : LoadResult {LoadResult::Status::NotFound, {}, {}};
    };
    // Every client starts after one turn of the loop, so all clients of the worker get going.
    co_await YieldToEventLoop {this};
    int sinceYield = 0;
    while (!job.stop->load(std::memory_order_relaxed)) {
        const std::int64_t key = keys.next();
        const auto start = Clock::now();
        LoadResult::Status status = LoadResult::Status::Found;
        QString error;
        ReadSource source = ReadSource::Loaded;
        if (cache) {
            ReadResult r = cache->read(key, loader, &filter);
            source = r.source;
            status = r.load.status;
            error = std::move(r.load.error);
        } else {
            try {
                status = loader(key).status;
            } catch (const DbError &e) {
                status = LoadResult::Status::Failed;
                error = e.message();
            }
        }
        counters.latency.record(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
        counters.requests.add();
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
            counters.coalesced.add();
            counters.misses.add();
            break;
        case ReadSource::Loaded:
            counters.misses.add();
            break;
        }
        if (status == LoadResult::Status::NotFound) {
            counters.notFound.add();
        } else if (status == LoadResult::Status::Failed) {
            counters.errors.add();
            std::lock_guard lock(m_errorMutex);
            if (m_firstError.isEmpty())
                m_firstError = error;
        }
        if (++sinceYield >= kYieldEvery) {
            sinceYield = 0;
            co_await YieldToEventLoop {this};
        }
    }
    clientDone();
}

void EngineWorker::clientDone()
{
    if (--m_activeClients == 0)
        Q_EMIT phaseFinished(m_index);
}

} // namespace cachescope::detail
