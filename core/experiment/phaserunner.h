#pragma once

#include "core/metrics/metricssnapshot.h"
#include "core/metrics/requestcounts.h"
#include "core/metrics/sampler.h"
#include "core/plan/warmupplanner.h"
#include "core/redis/redistier.h"
#include "core/result/runresult.h"
#include "core/scenario/scenario.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QThread;

namespace cachescope {

class TieredCache;
class KeySpace;
class VersionBook;
class ReplicaLagMonitor;
class BatchControl;
struct ClientCounters;
struct RunInputs;
struct ClientSettings;
struct WarmupCounters;
class Projection;
namespace detail {
class EngineThreadHost;
struct WarmupJob;
} // namespace detail

/// Runs one experiment: an uncached baseline phase, then a cached phase with the same seed, on
/// engine worker threads it owns (one SQLite connection each). Lives on the thread that calls
/// it, which only orchestrates and samples (every 100 ms) — the work happens on the workers.
/// Results arrive as values: snapshotReady() about ten times a second, runFinished() once.
class PhaseRunner : public QObject {
    Q_OBJECT
public:
    static constexpr int kSampleIntervalMs = 100;
    /// How often the lag of read replicas (db.replicas) is measured while a run goes on.
    static constexpr std::chrono::milliseconds kReplicaLagEvery {500};
    /// After a phase's end, how long statements still in flight on a server are waited for
    /// before they are given up (PgConnection::abandon).
    static constexpr std::chrono::milliseconds kAbandonAfter {300};
    /// Requests of the transfer measurement (each read with the projection and with full rows).
    static constexpr int kTransferSample = 2000;

    explicit PhaseRunner(QObject *parent = nullptr);
    /// Stops a run in progress and waits for its workers.
    ~PhaseRunner() override;

    bool isRunning() const { return m_running; }

public Q_SLOTS:
    /// Starts a run (ignored while one is running). Problems with the scenario or the database
    /// end the run at once: runFinished() with RunResult::error set.
    void start(const cachescope::Scenario &scenario);
    /// start() with the inputs the caller's preflight() already read for this scenario (the
    /// command line checks before it runs; the run does not read them again).
    void startPrepared(const cachescope::Scenario &scenario, std::shared_ptr<cachescope::RunInputs> prepared);
    /// Ends the run early: the current phase stops within one request per client and no
    /// further phase starts. runFinished() follows with stopped = true.
    void stop();
    /// A live change of settings the table marks live, applied to the running phase (and the
    /// phases after it) at once; ends the current segment and starts a new one. A setting that
    /// cannot change live, or no run: changeRejected() with the reason.
    void applyChange(const cachescope::ConfigChange &change);
    /// Saves the hot set the running cached phase has seen so far to the snapshot file (on
    /// demand; every run also saves it at its end). The outcome arrives as statusChanged().
    void saveHotSet();

Q_SIGNALS:
    void statusChanged(const QString &message);
    void phaseStarted(cachescope::Phase phase, double plannedSeconds);
    void snapshotReady(const cachescope::MetricsSnapshot &snapshot);
    void runFinished(const cachescope::RunResult &result);
    /// A change took effect at \a runTime seconds; \a change is "key=value; ...".
    void changeApplied(double runTime, const QString &change);
    void changeRejected(const QString &reason);
    void warmupProgress(const cachescope::WarmupProgress &progress);

private:
    using Totals = RequestTotals;
    void prepare(std::shared_ptr<RunInputs> prepared);
    /// Puts the server's count of the run's statements beside the workers' (environment.database).
    void crossCheckWithServer();
    void startPhase(Phase phase);
    void endPhase();
    // Gives up the server statements of \a phase still in flight, every kAbandonAfter until it has finished.
    void abandonStragglers(std::uint64_t phase);
    /// Adds a note to the result when a live change makes the figures it compares unlike: a
    /// workload or database setting changed in the cached phase (the baseline ran without it), or
    /// any change during the cold run a warm-up is compared with.
    void noteUnlikeComparison(const ConfigChange &change, double atSeconds);
    // Hot-key tracking on the read path: every 4th read counted, counters for 8 × the keys a
    // warm-up or the cache can use (Space-Saving finds the top keys about as well as exact counts
    // with 10 ×, see tst_hotkeytracker) but never more than the workload's keys, halved after 8 ×
    // that many counted reads. Its cost per read: bench/warmup_coldstart.
    static constexpr unsigned kTrackEvery = 4;
    static std::size_t trackerCapacity(const Scenario &s, std::int64_t distinctKeys);
    void endWarmup();
    void openSegment(const Totals &start, std::int64_t startNs, const QString &change);
    void closeSegment(const Totals &end, std::int64_t endNs);
    std::vector<ClientSettings> liveSettings() const;
    std::vector<std::vector<int>> clientsPerWorker() const;
    void onWorkerFinished(int workerIndex);
    void finishPhase();
    void finishRun(const QString &error = {});
    void sample();
    Totals readTotals() const;
    struct Worker;
    static void addWorkerTotals(Totals &t, const Worker &w);
    Totals cutTotals(const std::function<void(std::size_t)> &thenOnWorker);
    void clearSharedTier();
    void shutdownWorkers();
    std::vector<std::shared_ptr<detail::WarmupJob>> planWarmup();
    void onWarmupFinished(int workerIndex);
    WarmupProgress readWarmupProgress() const;
    HotKeyTracker mergedHotKeys(bool onWorkers);
    void saveHotSetFrom(const HotKeyTracker &hotKeys, bool endOfRun);
    Phase nextPhase() const;

    bool m_running = false;
    bool m_stopRequested = false;
    RunResult m_result;
    std::shared_ptr<const KeySpace> m_keySpace;
    std::shared_ptr<VersionBook> m_versions; // stale reads: the versions writes committed (null = not checked)
    int m_versionColumn = -1;
    std::shared_ptr<const Projection> m_projection;

    struct Worker {
        QThread *thread = nullptr;
        detail::EngineThreadHost *worker = nullptr;
        std::shared_ptr<ClientCounters> counters;
        DataSourceStats dbAtPhaseStart;
    };
    std::vector<Worker> m_workers;
    int m_pendingWorkers = 0;

    Phase m_phase = Phase::Baseline;
    std::shared_ptr<std::atomic<bool>> m_stopPhase;
    std::vector<std::shared_ptr<TieredCache>> m_caches; // one per instance (cache.instances)
    std::optional<RedisTierConfig> m_sharedTier; // cache.l2.backend=redis
    QByteArray m_l2RunTag; // this run's part of every Redis key
    QList<QByteArray> m_l2Prefixes; // the cached phases' key prefixes, deleted at the run's end
    int m_phaseNumber = 0;
    QElapsedTimer m_runClock;
    std::int64_t m_phaseStartNs = 0;
    std::int64_t m_plannedPhaseNs = 0; // the phase's planned length, its warm-up included
    std::uint64_t m_ticks = 0;
    Sampler m_sampling; // "since the last snapshot"
    Scenario m_live; // the scenario with every change so far
    Totals m_segmentStart;
    std::int64_t m_segmentStartNs = 0;
    QString m_segmentChange;
    QList<double> m_segmentCuts; // run times at which a segment started: a coarsened record keeps them apart
    Totals m_measureStart; // where the phase's own figures start (after duration.warmup)
    std::int64_t m_measureStartNs = 0;
    bool m_inWarmup = false;
    std::uint64_t m_phaseId = 0;
    // warm-up
    WarmupPlanner m_warmupPlanner;
    // A server's own count of the run's statements (pg_stat_statements), read at the start and
    // the end on a connection of its own: the cross-check of the workers' counters.
    std::unique_ptr<DataSource> m_serverCheck;
    std::unique_ptr<ReplicaLagMonitor> m_lagMonitor; // db.replicas: their lag, measured while the run goes on
    std::optional<std::uint64_t> m_serverStatementsAtStart;
    std::uint64_t m_statementsAtStart = 0; // the workers' statements, failures excluded, then
    std::shared_ptr<WarmupCounters> m_warmupCounters;
    std::shared_ptr<BatchControl> m_warmupControl;
    int m_pendingWarmups = 0;
    std::int64_t m_warmupPlanned = 0;
    std::int64_t m_warmupEndNs = -1;
    QString m_warmupCancelled;
    QTimer m_phaseTimer;
    QTimer m_sampler;
};

} // namespace cachescope
