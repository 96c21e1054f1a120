#include "core/experiment/experimentrunner.h"

#include "core/cache/tieredcache.h"
#include "core/db/demodatabase.h"
#include "core/experiment/engineworker.h"
#include "core/projection/transfer.h"
#include "core/workload/keydistribution.h"

#include <QFile>
#include <QThread>

#include <chrono>

using namespace Qt::StringLiterals;

namespace cachescope {

TieredCacheConfig cacheConfig(const Scenario &s)
{
    TieredCacheConfig c;
    c.l1 = {std::size_t(s.l1Capacity), s.l1Ttl, 0, s.l1Policy, std::size_t(s.l1MaxBytes), s.ttlJitter};
    c.l2 = {std::size_t(s.l2Capacity), s.l2Ttl, 0, s.l2Policy, std::size_t(s.l2MaxBytes), s.ttlJitter};
    c.mode = s.cacheMode == u"exclusive"_s ? L2Mode::Exclusive : L2Mode::Inclusive;
    c.writePolicy = s.writePolicy == u"write-through"_s ? WritePolicy::WriteThrough : WritePolicy::Invalidate;
    return c;
}

ExperimentRunner::ExperimentRunner(QObject *parent)
    : QObject(parent)
    , m_phaseTimer(this) // children, so moveToThread() takes them along
    , m_sampler(this)
{
    qRegisterMetaType<MetricsSnapshot>();
    qRegisterMetaType<RunResult>();
    qRegisterMetaType<Scenario>();
    qRegisterMetaType<Phase>();
    m_phaseTimer.setSingleShot(true);
    m_phaseTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_phaseTimer, &QTimer::timeout, this, &ExperimentRunner::endPhase);
    m_sampler.setInterval(kSampleIntervalMs);
    m_sampler.setTimerType(Qt::PreciseTimer);
    connect(&m_sampler, &QTimer::timeout, this, &ExperimentRunner::sample);
}

ExperimentRunner::~ExperimentRunner()
{
    if (m_stopPhase)
        m_stopPhase->store(true);
    shutdownWorkers();
}

void ExperimentRunner::start(const Scenario &scenario)
{
    if (m_running)
        return;
    m_running = true;
    m_stopRequested = false;
    m_result = RunResult {};
    m_result.scenario = scenario;
    m_result.environment = collectEnvironment();
    m_runClock.start();
    try {
        prepare();
    } catch (const std::exception &error) {
        finishRun(QString::fromUtf8(error.what()));
        return;
    }
    startPhase(scenario.baselineDuration.count() > 0 ? Phase::Baseline : Phase::Cached);
}

void ExperimentRunner::stop()
{
    if (!m_running)
        return;
    m_stopRequested = true;
    m_result.stopped = true;
    endPhase();
}

void ExperimentRunner::endPhase()
{
    if (!m_stopPhase)
        return;
    m_stopPhase->store(true);
    // Clients asleep in a simulated round-trip or think time see the flag now, not at their deadline.
    for (Worker &w : m_workers) {
        QMetaObject::invokeMethod(
            w.worker, [worker = w.worker] { worker->wakeSleepers(); }, Qt::QueuedConnection);
    }
}

void ExperimentRunner::prepare()
{
    const Scenario &s = m_result.scenario;
    if (s.cachedDuration.count() <= 0)
        throw ScenarioError(u"duration.cached: must be longer than 0"_s);

    QString path = s.dbPath;
    if (path.isEmpty()) {
        if (!QFile::exists(DemoDatabase::defaultPath()))
            Q_EMIT statusChanged(u"Creating the demo database (%1 rows)…"_s.arg(DemoDatabase::kDefaultRows));
        path = DemoDatabase::ensureDefault();
    }
    m_result.databasePath = path;
    DataSourceSpec spec = s.dataSource();
    spec.path = path;

    Q_EMIT statusChanged(u"Reading keys from %1…"_s.arg(path));
    inspectTable(spec);
    m_projection = std::make_shared<const Projection>(resolveProjection(spec, s.fields));
    std::vector<std::int64_t> keys = loadKeys(spec, s.keys);
    if (keys.empty())
        throw DbError(-1, u"table '"_s + spec.table + u"' has no rows to read"_s);
    m_result.keysUsed = std::int64_t(keys.size());
    const std::size_t n = keys.size();
    auto distribution
        = s.distribution == u"uniform"_s ? RankDistribution::uniform(n) : RankDistribution::zipf(n, s.zipf);
    m_keySpace = std::make_shared<const KeySpace>(std::move(keys), std::move(distribution), s.seed);

    if (!m_projection->isAll()) {
        // Transfer reduction: the first client's key sequence, read with the projection and with
        // full rows on a connection of its own (outside the timed phases).
        Q_EMIT statusChanged(u"Measuring transfer: %1 against full rows…"_s.arg(m_projection->toString()));
        KeyStream stream(m_keySpace, s.seed, 0);
        std::vector<std::int64_t> sample(kTransferSample);
        for (std::int64_t &key : sample)
            key = stream.next();
        DataSourceConnection connection(spec);
        m_result.transfer = measureTransfer(connection, *m_projection, sample);
    }

    const int workerCount = std::min(s.effectiveWorkers(), s.concurrency);
    m_result.workers = workerCount;
    for (int i = 0; i < workerCount; ++i) {
        Worker w;
        w.thread = new QThread;
        w.thread->setObjectName(u"engine-%1"_s.arg(i));
        w.worker = new detail::EngineWorker(i, spec);
        w.worker->moveToThread(w.thread);
        connect(w.worker, &detail::EngineWorker::phaseFinished, this, &ExperimentRunner::onWorkerFinished,
            Qt::QueuedConnection);
        w.thread->start();
        m_workers.push_back(std::move(w));
    }
    for (Worker &w : m_workers) {
        QString error;
        QMetaObject::invokeMethod(
            w.worker, [&] { error = w.worker->open(); }, Qt::BlockingQueuedConnection);
        if (!error.isEmpty())
            throw DbError(-1, error);
    }
}

void ExperimentRunner::startPhase(Phase phase)
{
    const Scenario &s = m_result.scenario;
    m_phase = phase;
    m_stopPhase = std::make_shared<std::atomic<bool>>(false);
    m_cache.reset();
    if (phase == Phase::Cached)
        m_cache = std::make_shared<TieredCache>(cacheConfig(s));
    const auto count = int(m_workers.size());
    std::vector<std::vector<int>> clients(static_cast<std::size_t>(count));
    for (int c = 0; c < s.concurrency; ++c)
        clients[std::size_t(c % count)].push_back(c);

    m_pendingWorkers = count;
    for (int i = 0; i < count; ++i) {
        Worker &w = m_workers[std::size_t(i)];
        w.counters = std::make_shared<detail::WorkerCounters>();
        w.dbAtPhaseStart = w.worker->databaseStats();
    }
    m_lastSample = readTotals();
    m_phaseStartNs = m_runClock.nsecsElapsed();
    m_lastSampleNs = m_phaseStartNs;
    for (int i = 0; i < count; ++i) {
        Worker &w = m_workers[std::size_t(i)];
        detail::PhaseJob job;
        job.keySpace = m_keySpace;
        job.seed = s.seed;
        job.clients = clients[std::size_t(i)];
        job.cache = m_cache;
        job.projection = m_projection;
        job.rtt = s.dbRtt;
        job.rttJitter = s.dbRttJitter;
        job.thinkTime = s.thinkTime;
        job.failureRate = s.dbFailureRate;
        job.stop = m_stopPhase;
        job.counters = w.counters;
        QMetaObject::invokeMethod(
            w.worker, [worker = w.worker, job] { worker->startPhase(job); }, Qt::QueuedConnection);
    }
    const auto planned = phase == Phase::Baseline ? s.baselineDuration : s.cachedDuration;
    m_phaseTimer.start(std::chrono::duration_cast<std::chrono::milliseconds>(planned));
    m_sampler.start();
    Q_EMIT phaseStarted(phase, std::chrono::duration<double>(planned).count());
    Q_EMIT statusChanged(phase == Phase::Baseline ? u"Baseline phase: every read goes to the database"_s
                                                  : u"Cached phase: reads go through the cache"_s);
    if (m_stopRequested)
        endPhase();
}

ExperimentRunner::Totals ExperimentRunner::readTotals() const
{
    Totals t;
    for (const Worker &w : m_workers) {
        if (w.counters) {
            const detail::WorkerCounters &c = *w.counters;
            t.requests += c.requests.load();
            t.reads += c.reads.load();
            t.hits += c.hits.load();
            t.l1Hits += c.l1Hits.load();
            t.l2Hits += c.l2Hits.load();
            t.coalesced += c.coalesced.load();
            t.misses += c.misses.load();
            t.notFound += c.notFound.load();
            t.errors += c.errors.load();
            t.latency.merge(c.latency.snapshot());
        }
        t.db += w.worker->databaseStats() - w.dbAtPhaseStart;
    }
    return t;
}

void ExperimentRunner::sample()
{
    if (!m_running)
        return;
    const std::int64_t now = m_runClock.nsecsElapsed();
    Totals totals = readTotals();
    MetricsSnapshot s;
    s.phase = m_phase;
    s.runTime = double(now) / 1e9;
    s.phaseTime = double(now - m_phaseStartNs) / 1e9;
    s.interval = double(now - m_lastSampleNs) / 1e9;
    s.requests = totals.requests - m_lastSample.requests;
    s.hits = totals.hits - m_lastSample.hits;
    s.l1Hits = totals.l1Hits - m_lastSample.l1Hits;
    s.l2Hits = totals.l2Hits - m_lastSample.l2Hits;
    s.misses = totals.misses - m_lastSample.misses;
    s.errors = totals.errors - m_lastSample.errors;
    s.dbStatements = totals.db.statements - m_lastSample.db.statements;
    s.bytesRead = totals.db.bytesRead - m_lastSample.db.bytesRead;
    const LatencyHistogram interval = totals.latency.deltaSince(m_lastSample.latency);
    s.p50Nanos = interval.valueAtPercentile(50);
    s.p99Nanos = interval.valueAtPercentile(99);
    s.phaseRequests = totals.requests;
    m_lastSample = std::move(totals);
    m_lastSampleNs = now;
    if (s.interval <= 0)
        return;
    m_result.timeSeries.append(s);
    Q_EMIT snapshotReady(s);
    // Once a second, reclaim expired entries that no read has touched.
    if (m_cache && ++m_ticks % (1000 / kSampleIntervalMs) == 0)
        m_cache->sweepExpired();
}

void ExperimentRunner::onWorkerFinished(int)
{
    if (--m_pendingWorkers == 0)
        finishPhase();
}

void ExperimentRunner::finishPhase()
{
    m_phaseTimer.stop();
    m_sampler.stop();
    sample(); // the tail of the phase
    const std::int64_t end = m_runClock.nsecsElapsed();
    const Totals totals = readTotals();
    PhaseResult phase;
    phase.durationS = double(end - m_phaseStartNs) / 1e9;
    phase.requests = totals.requests;
    phase.reads = totals.reads;
    phase.hits = totals.hits;
    phase.l1Hits = totals.l1Hits;
    phase.l2Hits = totals.l2Hits;
    phase.coalesced = totals.coalesced;
    phase.misses = totals.misses;
    phase.notFound = totals.notFound;
    phase.errors = totals.errors;
    phase.dbStatements = totals.db.statements;
    phase.bytesRead = totals.db.bytesRead;
    phase.dbSeconds = double(totals.db.dbNanos) / 1e9;
    phase.latency = totals.latency;
    (m_phase == Phase::Baseline ? m_result.baseline : m_result.cached) = phase;

    QString error;
    if (phase.requests > 0 && phase.errors == phase.requests) {
        for (const Worker &w : m_workers) {
            if (error.isEmpty())
                error = w.worker->firstError();
        }
        error
            = u"every request of the %1 phase failed: "_s.arg(m_phase == Phase::Baseline ? u"baseline"_s : u"cached"_s)
            + error;
    }
    if (m_phase == Phase::Baseline && !m_stopRequested && error.isEmpty())
        startPhase(Phase::Cached);
    else
        finishRun(error);
}

void ExperimentRunner::shutdownWorkers()
{
    // Clients may still be suspended on a queued resume; let each worker's loop drain until its
    // clients have seen the stop flag, then stop the thread.
    for (Worker &w : m_workers) {
        while (w.thread->isRunning() && w.worker->activeClients() > 0)
            QMetaObject::invokeMethod(
                w.worker, [worker = w.worker] { worker->wakeSleepers(); }, Qt::BlockingQueuedConnection);
    }
    for (Worker &w : m_workers) {
        w.thread->quit();
        w.thread->wait();
        delete w.worker;
        delete w.thread;
    }
    m_workers.clear();
}

void ExperimentRunner::finishRun(const QString &error)
{
    m_phaseTimer.stop();
    m_sampler.stop();
    shutdownWorkers();
    m_cache.reset();
    m_stopPhase.reset();
    m_keySpace.reset();
    m_running = false;
    m_result.error = error;
    m_result.evaluate();
    Q_EMIT runFinished(m_result);
}

} // namespace cachescope
