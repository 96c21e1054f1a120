#include "core/experiment/phaserunner.h"

#include "core/cache/tieredcache.h"
#include "core/cache/tracereplay.h"
#include "core/db/demodatabase.h"
#include "core/experiment/enginethreadhost.h"
#include "core/experiment/replicalagmonitor.h"
#include "core/load/transfer.h"
#include "core/metrics/timeseries.h"
#include "core/plan/preflight.h"
#include "core/projection/projection.h"
#include "core/warmup/warmupexecutor.h"
#include "core/warmup/warmupsource.h"
#include "core/workload/keydistribution.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QThread>

#include <chrono>

using namespace Qt::StringLiterals;

namespace cachescope {

PhaseRunner::PhaseRunner(QObject *parent)
    : QObject(parent)
    , m_phaseTimer(this) // children, so moveToThread() takes them along
    , m_sampler(this)
{
    qRegisterMetaType<MetricsSnapshot>();
    qRegisterMetaType<RunResult>();
    qRegisterMetaType<Scenario>();
    qRegisterMetaType<Phase>();
    qRegisterMetaType<WarmupProgress>();
    m_phaseTimer.setSingleShot(true);
    m_phaseTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_phaseTimer, &QTimer::timeout, this, &PhaseRunner::endPhase);
    m_sampler.setInterval(kSampleIntervalMs);
    m_sampler.setTimerType(Qt::PreciseTimer);
    connect(&m_sampler, &QTimer::timeout, this, &PhaseRunner::sample);
}

PhaseRunner::~PhaseRunner()
{
    if (m_stopPhase)
        m_stopPhase->store(true);
    shutdownWorkers();
}

void PhaseRunner::start(const Scenario &scenario)
{
    startPrepared(scenario, nullptr);
}

void PhaseRunner::startPrepared(const Scenario &scenario, std::shared_ptr<RunInputs> prepared)
{
    if (m_running)
        return;
    m_running = true;
    m_stopRequested = false;
    m_result = RunResult {};
    m_segmentCuts.clear();
    m_result.scenario = scenario;
    m_live = scenario;
    m_result.environment = collectEnvironment();
    m_runClock.start();
    try {
        prepare(std::move(prepared));
    } catch (const std::exception &error) {
        // Settings, table contents, fields, warm-up sources that cannot be used: bad input.
        m_result.badInput = isBadInput(error);
        finishRun(QString::fromUtf8(error.what()));
        return;
    }
    m_phase = Phase::Baseline;
    startPhase(scenario.duration.baseline.count() > 0 ? Phase::Baseline : nextPhase());
}

Phase PhaseRunner::nextPhase() const
{
    // baseline → cold (only to compare with a warm-up: same seed, empty cache) → cached
    const Scenario &s = m_result.scenario;
    const bool compare = s.warmsUp() && s.warmup.compare;
    const bool afterBaseline = m_phase == Phase::Baseline;
    return afterBaseline && compare && !m_result.cold ? Phase::Cold : Phase::Cached;
}

void PhaseRunner::stop()
{
    if (!m_running)
        return;
    m_stopRequested = true;
    m_result.stopped = true;
    endPhase();
}

void PhaseRunner::endPhase()
{
    if (!m_stopPhase)
        return;
    m_stopPhase->store(true);
    // Clients asleep in a simulated round-trip or think time see the flag now, not at their deadline.
    for (Worker &w : m_workers) {
        QMetaObject::invokeMethod(
            w.worker, [worker = w.worker] { worker->wakeSleepers(); }, Qt::QueuedConnection);
    }
    // Statements a server has not answered shortly after (a lock wait, a server that stopped) are
    // given up rather than waited for until db.timeout: the phase, or a Stop, ends now.
    abandonStragglers(m_phaseId);
}

void PhaseRunner::abandonStragglers(std::uint64_t phase)
{
    // Again every kAbandonAfter until the workers are done: a statement sent after one round (a
    // batch flushed late, a client resumed late on a loaded machine) is given up by the next.
    QTimer::singleShot(kAbandonAfter, this, [this, phase] {
        if (phase != m_phaseId || m_pendingWorkers == 0 || !m_running)
            return;
        for (Worker &w : m_workers) {
            QMetaObject::invokeMethod(
                w.worker, [worker = w.worker] { worker->abandonStatements(); }, Qt::QueuedConnection);
        }
        abandonStragglers(phase);
    });
}

void PhaseRunner::prepare(std::shared_ptr<RunInputs> prepared)
{
    const Scenario &s = m_result.scenario;
    checkScenario(s);
    QString path = s.db.url.isEmpty() ? s.db.path : DataSourceSpec::maskUrl(s.db.url);
    if (path.isEmpty()) {
        if (!QFile::exists(DemoDatabase::defaultPath()))
            Q_EMIT statusChanged(tr("Creating the demo database (%1 rows)…").arg(DemoDatabase::kDefaultRows));
        path = DemoDatabase::ensureDefault();
    }
    m_result.databasePath = path;
    Q_EMIT statusChanged(tr("Reading keys from %1…").arg(path));
    if (!prepared || prepared->spec.path != path)
        prepared = std::make_shared<RunInputs>(preflight(s, path));
    const DataSourceSpec spec = prepared->spec;
    if (s.workload.readRatio < 1.0) {
        if (!spec.versionColumn.isEmpty()) {
            m_result.notes << u"the workload writes (workload.read_ratio %1): each write adds 1 to column '%2' of a "
                              "row of '%3' %4 %5, and every read is checked against the versions written (stale "
                              "reads)"_s.arg(s.workload.readRatio)
                                  .arg(spec.versionColumn, s.db.table, s.db.url.isEmpty() ? u"in"_s : u"on"_s, path);
        } else {
            m_result.notes << (s.db.url.isEmpty()
                    ? u"the workload writes (workload.read_ratio %1): each write rewrites a row of '%2' in %3 with "
                      "its own values — the data stays the same, the file changes"_s
                    : u"the workload writes (workload.read_ratio %1): each write rewrites a row of '%2' on %3 with "
                      "its own values — the data stays the same, the server writes it"_s)
                                  .arg(s.workload.readRatio)
                                  .arg(s.db.table, path);
        }
        Q_EMIT statusChanged(m_result.notes.last());
    }
    m_projection = prepared->projection;
    m_keySpace = prepared->keySpace;
    m_versionColumn = prepared->versionIndex;
    m_versions.reset();
    if (m_versionColumn >= 0) {
        std::vector<std::int64_t> keys(m_keySpace->size());
        for (std::size_t i = 0; i < keys.size(); ++i)
            keys[i] = m_keySpace->keyAtRank(i);
        m_versions = std::make_shared<VersionBook>(keys);
    }
    m_result.keysUsed = prepared->keysUsed;
    m_result.notes << prepared->notes;

    if (!m_projection->isAll()) {
        // Transfer reduction: the first client's key sequence, read with the projection and with
        // full rows on a connection of its own (outside the timed phases).
        Q_EMIT statusChanged(u"Measuring transfer: %1 against full rows…"_s.arg(m_projection->toString()));
        KeyStream stream(m_keySpace, s.workload.seed, 0);
        std::vector<std::int64_t> sample(kTransferSample);
        for (std::int64_t &key : sample)
            key = stream.next();
        const std::unique_ptr<DataSource> connection = openDataSource(spec);
        m_result.transfer = measureTransfer(*connection, *m_projection, sample, CacheTier::kEntryOverhead);
    }

    m_warmupPlanner.prepare(s, spec, m_result.notes);

    const int workerCount = std::min(s.effectiveWorkers(), s.workload.concurrency);
    m_result.workers = workerCount;
    for (int i = 0; i < workerCount; ++i) {
        Worker w;
        w.thread = new QThread;
        w.thread->setObjectName(u"engine-%1"_s.arg(i));
        w.worker = new detail::EngineThreadHost(i, spec);
        w.worker->moveToThread(w.thread);
        connect(w.worker, &detail::EngineThreadHost::phaseFinished, this, &PhaseRunner::onWorkerFinished,
            Qt::QueuedConnection);
        connect(w.worker, &detail::EngineThreadHost::warmupFinished, this, &PhaseRunner::onWarmupFinished,
            Qt::QueuedConnection);
        w.thread->start();
        m_workers.push_back(std::move(w));
    }
    // A server's connections are all opened now, before any phase: the clients a worker runs at
    // once, and its share of a warm-up's statements.
    const int statementsPerWorker = (s.workload.concurrency + workerCount - 1) / workerCount
        + (s.warmsUp() ? (std::max(1, s.warmup.concurrency) + workerCount - 1) / workerCount : 0);
    for (Worker &w : m_workers) {
        QString error;
        QMetaObject::invokeMethod(
            w.worker, [&] { error = w.worker->open(statementsPerWorker); }, Qt::BlockingQueuedConnection);
        if (!error.isEmpty())
            throw DbError(-1, error);
    }
    // A Redis L2: each worker connects its own (its instance's view of the shared tier); each
    // cached phase gets keys of its own under the prefix (a run tag and the phase's number).
    m_sharedTier = prepared->sharedTier;
    if (m_sharedTier) {
        m_l2RunTag = QByteArray::number(QRandomGenerator::global()->generate64() & 0xffffffffffULL, 36);
        for (Worker &w : m_workers) {
            QString error;
            QMetaObject::invokeMethod(
                w.worker, [&] { error = w.worker->openSharedTier(*m_sharedTier); }, Qt::BlockingQueuedConnection);
            if (!error.isEmpty())
                throw DbError(-1, u"cache.l2.url: "_s + error);
        }
        m_result.environment.insert(u"l2"_s, prepared->sharedTierFacts);
    }
    m_serverCheck.reset();
    m_serverStatementsAtStart.reset();
    m_lagMonitor.reset();
    if (spec.isServer() && !spec.replicas.isEmpty())
        m_lagMonitor = std::make_unique<ReplicaLagMonitor>(spec, kReplicaLagEvery);
    if (spec.isServer()) {
        m_serverCheck = openDataSource(spec);
        QJsonObject database {
            {u"kind"_s, m_serverCheck->capabilities().kind}, {u"server_version"_s, m_serverCheck->serverVersion()}};
        m_result.environment.insert(u"database"_s, database);
        m_serverStatementsAtStart = m_serverCheck->statementsCountedByServer();
        m_statementsAtStart = 0;
        for (const Worker &w : m_workers)
            m_statementsAtStart += w.worker->databaseStats().statements - w.worker->databaseStats().failures;
    }
}

void PhaseRunner::crossCheckWithServer()
{
    if (!m_serverCheck)
        return;
    std::uint64_t counted = 0;
    for (const Worker &w : m_workers) {
        const DataSourceStats db = w.worker->databaseStats();
        counted += db.statements - db.failures;
    }
    counted -= m_statementsAtStart;
    QJsonObject database = m_result.environment.value(u"database"_s).toObject();
    database.insert(u"statements_counted"_s, qint64(counted));
    const std::optional<std::uint64_t> atEnd = m_serverCheck->statementsCountedByServer();
    if (m_serverStatementsAtStart && atEnd) {
        const std::uint64_t byServer = *atEnd - *m_serverStatementsAtStart;
        database.insert(u"statements_by_server"_s, qint64(byServer));
        database.insert(u"statements_checked_with"_s, u"pg_stat_statements"_s);
        if (byServer != counted) {
            m_result.notes
                << u"the server counted %1 statements on '%2' during the run (pg_stat_statements), CacheScope "
                   "%3: another client used the table meanwhile, or statements were lost"_s.arg(byServer)
                       .arg(m_result.scenario.db.table)
                       .arg(counted);
        }
    }
    QJsonArray replicas;
    const std::vector<ReplicaLag> worst = m_lagMonitor ? m_lagMonitor->worst() : std::vector<ReplicaLag> {};
    const std::vector<ReplicaLag> atEndLags = m_serverCheck->replicaLag();
    for (std::size_t i = 0; i < atEndLags.size(); ++i) {
        const ReplicaLag &lag = atEndLags[i];
        QJsonObject replica {{u"url"_s, lag.url}, {u"lag_s"_s, lag.seconds}, {u"lag_bytes"_s, qint64(lag.bytes)}};
        // The worst of the measurements made while the run went on (about one a second).
        if (i < worst.size() && worst[i].error.isEmpty()) {
            replica.insert(u"lag_max_s"_s, std::max(worst[i].seconds, lag.seconds));
            replica.insert(u"lag_max_bytes"_s, qint64(std::max(worst[i].bytes, lag.bytes)));
        }
        if (lag.statements)
            replica.insert(u"statements_by_server"_s, qint64(*lag.statements));
        if (!lag.error.isEmpty())
            replica.insert(u"error"_s, lag.error);
        replicas.append(replica);
    }
    if (!replicas.isEmpty())
        database.insert(u"replicas"_s, replicas);
    m_result.environment.insert(u"database"_s, database);
    m_serverCheck.reset();
}

void PhaseRunner::startPhase(Phase phase)
{
    const Scenario &s = m_result.scenario;
    m_phase = phase;
    m_stopPhase = std::make_shared<std::atomic<bool>>(false);
    // One cache per application instance (cache.instances): the workers are dealt to them in turn.
    m_caches.clear();
    if (phase != Phase::Baseline) {
        for (int i = 0; i < std::max(1, s.cache.instances); ++i)
            m_caches.push_back(std::make_shared<TieredCache>(cacheConfig(m_live)));
    }
    ++m_phaseNumber;
    const auto count = int(m_workers.size());
    const std::vector<std::vector<int>> clients = clientsPerWorker();
    const std::vector<std::shared_ptr<detail::WarmupJob>> warmups
        = phase == Phase::Cached ? planWarmup() : std::vector<std::shared_ptr<detail::WarmupJob>> {};

    m_pendingWorkers = count;
    for (int i = 0; i < count; ++i) {
        Worker &w = m_workers[std::size_t(i)];
        w.counters = std::make_shared<ClientCounters>();
        w.dbAtPhaseStart = w.worker->databaseStats();
    }
    const Totals atStart = readTotals();
    m_phaseStartNs = m_runClock.nsecsElapsed();
    m_sampling.restart(atStart, m_phaseStartNs);
    openSegment(atStart, m_phaseStartNs, {});
    for (int i = 0; i < count; ++i) {
        Worker &w = m_workers[std::size_t(i)];
        detail::PhaseJob job;
        job.keySpace = m_keySpace;
        job.seed = s.workload.seed;
        job.clients = clients[std::size_t(i)];
        job.cache = m_caches.empty() ? nullptr : m_caches[std::size_t(i) % m_caches.size()];
        if (m_sharedTier && job.cache) {
            job.l2Prefix = m_sharedTier->prefix + m_l2RunTag + '.' + QByteArray::number(m_phaseNumber) + ':';
            if (i == 0)
                m_l2Prefixes << job.l2Prefix;
        }
        job.projection = m_projection;
        job.rtt = m_live.db.rtt;
        job.rttJitter = m_live.db.rttJitter;
        job.thinkTime = m_live.workload.thinkTime;
        job.failureRate = m_live.db.failureRate;
        job.readRatio = m_live.workload.readRatio;
        job.recordLatency = m_live.engine.recordLatency;
        job.connections = m_live.db.connections;
        job.batchLoads = m_live.cache.batchLoads && phase != Phase::Baseline;
        if (phase != Phase::Baseline)
            job.tracking
                = {trackerCapacity(s, m_result.keysUsed), 8 * trackerCapacity(s, m_result.keysUsed), kTrackEvery};
        if (std::size_t(i) < warmups.size())
            job.warmup = warmups[std::size_t(i)];
        job.batchWindow = m_live.cache.batchWindow;
        job.batchMax = m_live.cache.batchMax;
        job.retry.maxAttempts = 1 + m_live.db.retries;
        job.retry.baseDelay = m_live.db.retryBackoff;
        job.rate = m_live.workload.model == LoadModel::Open ? m_live.workload.rate / double(count) : 0.0;
        job.poisson = m_live.workload.arrival == Arrival::Poisson;
        job.stall = m_live.db.stall;
        job.stallEvery = m_live.db.stallEvery;
        job.stop = m_stopPhase;
        job.counters = w.counters;
        job.versions = m_versions;
        job.versionColumn = m_versionColumn;
        QMetaObject::invokeMethod(
            w.worker, [worker = w.worker, job] { worker->startPhase(job); }, Qt::QueuedConnection);
    }
    const auto planned = phase == Phase::Baseline ? s.duration.baseline : s.duration.cached;
    m_plannedPhaseNs = std::chrono::nanoseconds(planned + s.duration.warmup).count();
    if (m_pendingWarmups > 0 && s.warmup.maxTime.count() > 0) {
        QTimer::singleShot(std::chrono::duration_cast<std::chrono::milliseconds>(s.warmup.maxTime), this,
            [this, control = m_warmupControl] {
                if (control == m_warmupControl && m_pendingWarmups > 0) {
                    m_warmupCancelled = tr("time budget");
                    control->cancel();
                }
            });
    }
    // duration.warmup: the phase runs that much longer, and its first part is left out of the
    // phase's figures (it stays in the time series and as a segment marked warmup).
    m_measureStart = Totals {};
    m_measureStartNs = m_phaseStartNs;
    m_inWarmup = s.duration.warmup.count() > 0;
    const std::uint64_t phaseId = ++m_phaseId;
    // The scenario's scheduled changes of this phase, at their times after the warm-up.
    for (const ScheduledChange &change : s.changes) {
        if ((change.phase == u"cached"_s) != (phase == Phase::Cached))
            continue;
        QTimer::singleShot(std::chrono::duration_cast<std::chrono::milliseconds>(s.duration.warmup + change.at), this,
            [this, phaseId, set = change.change] {
                if (phaseId == m_phaseId && m_running && m_stopPhase && !m_stopPhase->load())
                    applyChange(set);
            });
    }
    if (m_inWarmup) {
        QTimer::singleShot(
            std::chrono::duration_cast<std::chrono::milliseconds>(s.duration.warmup), this, [this, phaseId] {
                if (phaseId == m_phaseId && m_running && m_stopPhase && !m_stopPhase->load())
                    endWarmup();
            });
    }
    m_phaseTimer.start(std::chrono::duration_cast<std::chrono::milliseconds>(planned + s.duration.warmup));
    m_sampler.start();
    Q_EMIT phaseStarted(phase, std::chrono::duration<double>(planned).count());
    if (phase == Phase::Baseline)
        Q_EMIT statusChanged(u"Baseline phase: every read goes to the database"_s);
    else if (phase == Phase::Cold)
        Q_EMIT statusChanged(
            u"Cached phase, cold (for comparison with the warm-up): reads go through an empty cache"_s);
    else if (m_pendingWarmups > 0)
        Q_EMIT statusChanged(
            u"Cached phase: warming up %1 keys (%2) while reads go through the cache"_s.arg(m_warmupPlanned)
                .arg(m_warmupPlanner.source()));
    else
        Q_EMIT statusChanged(u"Cached phase: reads go through the cache"_s);
    if (m_stopRequested)
        endPhase();
}

void PhaseRunner::addWorkerTotals(Totals &t, const Worker &w)
{
    if (w.counters) {
        t.counts += RequestCounts::load(*w.counters);
        t.latency.merge(w.counters->latency.snapshot());
        t.service.merge(w.counters->service.snapshot());
        t.staleAge.merge(w.counters->staleAge.snapshot());
        t.l2RoundTrip.merge(w.counters->l2RoundTrip.snapshot());
        t.invalidationDelay.merge(w.counters->invalidationDelay.snapshot());
    }
    const DataSourceStats db = w.worker->databaseStats() - w.dbAtPhaseStart;
    t.counts.dbStatements += db.statements;
    t.counts.bytesRead += db.bytesRead;
    t.counts.dbNanos += db.dbNanos;
}

PhaseRunner::Totals PhaseRunner::readTotals() const
{
    Totals t;
    for (const Worker &w : m_workers)
        addWorkerTotals(t, w);
    return t;
}

PhaseRunner::Totals PhaseRunner::cutTotals(const std::function<void(std::size_t)> &thenOnWorker)
{
    // Read each worker's counters on its own thread, between two of its clients' steps: no request
    // is half-counted, so the cut is exact (the workers are cut microseconds apart).
    Totals t;
    for (std::size_t i = 0; i < m_workers.size(); ++i) {
        const Worker &w = m_workers[i];
        QMetaObject::invokeMethod(
            w.worker,
            [&t, &w, &thenOnWorker, i] {
                addWorkerTotals(t, w);
                if (thenOnWorker)
                    thenOnWorker(i);
            },
            Qt::BlockingQueuedConnection);
    }
    return t;
}

void PhaseRunner::sample()
{
    if (!m_running)
        return;
    const std::int64_t now = m_runClock.nsecsElapsed();
    MetricsSnapshot s = m_sampling.next(readTotals(), now);
    s.phase = m_phase;
    s.runTime = double(now) / 1e9;
    s.warmup = m_inWarmup;
    if (s.interval <= 0)
        return;
    if (m_lagMonitor) {
        // The replica furthest behind, as last measured.
        for (const ReplicaLag &lag : m_lagMonitor->latest()) {
            if (!lag.error.isEmpty())
                continue;
            s.replicaLagNanos = std::max<std::int64_t>(s.replicaLagNanos, std::llround(lag.seconds * 1e9));
            s.replicaLagBytes = std::max(s.replicaLagBytes, lag.bytes);
        }
    }
    m_result.timeSeries.append(s);
    // The record stays bounded on a long run: past its cap, halved beyond each phase's start.
    if (m_result.timeSeries.size() > kMaxSnapshots)
        coarsenTimeSeries(m_result.timeSeries, m_segmentCuts, kFullResolutionS);
    Q_EMIT snapshotReady(s);
    if (m_pendingWarmups > 0)
        Q_EMIT warmupProgress(readWarmupProgress());
    // Once a second, reclaim expired entries that no read has touched.
    if (!m_caches.empty() && ++m_ticks % (1000 / kSampleIntervalMs) == 0) {
        for (const std::shared_ptr<TieredCache> &cache : m_caches)
            cache->sweepExpired();
    }
}

void PhaseRunner::onWorkerFinished(int)
{
    if (--m_pendingWorkers == 0)
        finishPhase();
}

void PhaseRunner::openSegment(const Totals &start, std::int64_t startNs, const QString &change)
{
    m_segmentStart = start;
    m_segmentStartNs = startNs;
    m_segmentCuts.append(double(startNs) / 1e9);
    m_segmentChange = change;
}

void PhaseRunner::closeSegment(const Totals &end, std::int64_t endNs)
{
    SegmentResult segment;
    segment.phase = m_phase;
    segment.startS = double(m_segmentStartNs) / 1e9;
    segment.endS = double(endNs) / 1e9;
    segment.change = m_segmentChange;
    segment.stats = PhaseResult::from(end - m_segmentStart, segment.endS - segment.startS);
    m_result.segments.append(segment);
}

void PhaseRunner::endWarmup()
{
    const std::int64_t cutNs = m_runClock.nsecsElapsed();
    const Totals cut = cutTotals({});
    closeSegment(cut, cutNs);
    m_result.segments.last().warmup = true;
    openSegment(cut, cutNs, {});
    m_measureStart = cut;
    m_measureStartNs = cutNs;
    m_inWarmup = false;
    Q_EMIT statusChanged(u"Warm-up over: measuring"_s);
}

void PhaseRunner::finishPhase()
{
    m_phaseTimer.stop();
    m_sampler.stop();
    sample(); // the tail of the phase
    const std::int64_t end = m_runClock.nsecsElapsed();
    const Totals totals = readTotals();
    const PhaseResult phase = PhaseResult::from(totals - m_measureStart, double(end - m_measureStartNs) / 1e9);
    // Waits are cut short at the phase's end; what still held it up is said, not hidden.
    if (const std::int64_t over = end - m_phaseStartNs - m_plannedPhaseNs;
        !m_stopRequested && over > std::max<std::int64_t>(250'000'000, m_plannedPhaseNs / 20)) {
        m_result.notes << u"the %1 phase ran %2 s, %3 s past its planned %4 s: a statement kept a worker past the "
                          "phase's end"_s.arg(phaseName(m_phase))
                              .arg(double(end - m_phaseStartNs) / 1e9, 0, 'f', 2)
                              .arg(double(over) / 1e9, 0, 'f', 2)
                              .arg(double(m_plannedPhaseNs) / 1e9, 0, 'f', 2);
    }
    (m_phase == Phase::Baseline ? m_result.baseline : m_phase == Phase::Cold ? m_result.cold : m_result.cached) = phase;
    closeSegment(totals, end);
    if (m_phase == Phase::Cold)
        m_warmupPlanner.setColdHotKeys(mergedHotKeys(false));
    if (m_phase == Phase::Cached) {
        if (m_result.warmup) {
            WarmupResult &w = *m_result.warmup;
            const WarmupCounters &c = *m_warmupCounters;
            w.keysLoaded = c.keysLoaded.load();
            w.keysAlreadyCached = c.keysAlreadyCached.load();
            w.keysMissing = c.keysMissing.load();
            w.keysFailed = c.keysFailed.load();
            w.statements = c.statements.load();
            w.keysNotRun = std::uint64_t(m_warmupPlanned) - std::min<std::uint64_t>(c.keysDone.load(), m_warmupPlanned);
            const std::int64_t warmupEnd = m_warmupEndNs >= 0 ? m_warmupEndNs : end;
            w.durationS = double(warmupEnd - m_phaseStartNs) / 1e9;
            w.cancelled
                = w.keysNotRun > 0 ? (m_warmupCancelled.isEmpty() ? u"phase ended"_s : m_warmupCancelled) : QString();
        }
        if (phase.reads > 0)
            saveHotSetFrom(mergedHotKeys(false), true);
    }

    QString error;
    if (phase.requests > 0 && phase.errors == phase.requests) {
        for (const Worker &w : m_workers) {
            if (error.isEmpty())
                error = w.worker->firstError();
        }
        error = u"every request of the %1 phase failed: "_s.arg(phaseName(m_phase)) + error;
    }
    if (m_phase != Phase::Cached && !m_stopRequested && error.isEmpty())
        startPhase(nextPhase());
    else
        finishRun(error);
}

void PhaseRunner::clearSharedTier()
{
    // The run's keys go once its figures are taken (not inside a phase's time).
    if (!m_sharedTier || m_workers.empty() || m_l2Prefixes.isEmpty())
        return;
    Worker &w = m_workers.front();
    while (w.thread->isRunning() && w.worker->activeClients() > 0)
        QMetaObject::invokeMethod(
            w.worker, [worker = w.worker] { worker->wakeSleepers(); }, Qt::BlockingQueuedConnection);
    std::int64_t used = 0;
    std::int64_t deleted = 0;
    QMetaObject::invokeMethod(
        w.worker, [&] { deleted = w.worker->clearSharedTier(m_l2Prefixes, &used); }, Qt::BlockingQueuedConnection);
    QJsonObject l2 = m_result.environment.value(u"l2"_s).toObject();
    if (used > 0)
        l2.insert(u"used_memory_bytes"_s, double(used));
    l2.insert(u"keys_deleted"_s, double(deleted));
    m_result.environment.insert(u"l2"_s, l2);
    m_l2Prefixes.clear();
}

void PhaseRunner::shutdownWorkers()
{
    // Clients may still be suspended on a queued resume; let each worker's loop drain until its
    // clients have seen the stop flag, then stop the thread.
    for (Worker &w : m_workers) {
        while (w.thread->isRunning() && w.worker->activeClients() > 0)
            QMetaObject::invokeMethod(
                w.worker, [worker = w.worker] { worker->wakeSleepers(); }, Qt::BlockingQueuedConnection);
    }
    for (Worker &w : m_workers) {
        // A Redis L2's connections belong to the worker's thread: closed there.
        if (w.thread->isRunning())
            QMetaObject::invokeMethod(
                w.worker, [worker = w.worker] { worker->closeSharedTier(); }, Qt::BlockingQueuedConnection);
    }
    for (Worker &w : m_workers) {
        w.thread->quit();
        w.thread->wait();
        delete w.worker;
        delete w.thread;
    }
    m_workers.clear();
}

void PhaseRunner::finishRun(const QString &error)
{
    m_phaseTimer.stop();
    m_sampler.stop();
    try {
        crossCheckWithServer();
    } catch (const DbError &e) {
        m_result.notes << u"could not read the server's own statement count: "_s + e.message();
        m_serverCheck.reset();
    }
    clearSharedTier();
    shutdownWorkers();
    m_lagMonitor.reset();
    m_caches.clear();
    m_stopPhase.reset();
    m_keySpace.reset();
    m_versions.reset();
    m_warmupPlanner = WarmupPlanner {};
    m_running = false;
    m_result.error = error;
    m_result.finishedAt = QDateTime::currentDateTimeUtc();
    m_result.evaluate();
    Q_EMIT runFinished(m_result);
}

} // namespace cachescope
