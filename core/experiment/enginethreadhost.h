#pragma once

#include "core/batch/asyncsemaphore.h"
#include "core/batch/batchloader.h"
#include "core/batch/timerqueue.h"
#include "core/cache/tieredcache.h"
#include "core/load/datasource.h"
#include "core/metrics/counter.h"
#include "core/metrics/latencyhistogram.h"
#include "core/metrics/requestcounts.h"
#include "core/redis/redistier.h"
#include "core/warmup/hotkeytracker.h"
#include "core/warmup/warmupexecutor.h"
#include "core/workload/clientloop.h"
#include "core/workload/keydistribution.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <coroutine>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <qcoro/qcorotask.h>

namespace cachescope::detail {

/// The share of a warm-up one worker runs, beside its clients.
struct WarmupJob {
    std::vector<WarmupChunk> chunks; ///< this worker's statements, hottest first
    int concurrency = 1; ///< statements in flight at once on this worker
    bool background = true; ///< warmup.priority=background
    std::shared_ptr<BatchControl> control; ///< cancelled at the time budget or the phase's end
    std::shared_ptr<WarmupCounters> counters; ///< shared by all workers
};

/// How a worker tracks hot keys (cached phases).
struct TrackingJob {
    std::size_t capacity = 0; ///< counters; 0 = no tracking
    std::uint64_t agingPeriod = 0; ///< counted reads between two halvings
    unsigned sampleEvery = 1; ///< every n-th read counted
};

/// What one worker runs in one phase.
struct PhaseJob {
    std::shared_ptr<const KeySpace> keySpace; ///< keys and their popularity
    std::uint64_t seed = 0; ///< workload seed
    std::vector<int> clients; ///< global indices of the clients this worker runs
    std::shared_ptr<TieredCache> cache; ///< null in the baseline phase
    std::shared_ptr<const Projection> projection; ///< the columns each read asks for
    std::chrono::nanoseconds rtt {0}; ///< simulated round-trip after each statement
    std::chrono::nanoseconds rttJitter {0}; ///< ± uniform variation of the round-trip
    std::chrono::nanoseconds thinkTime {0}; ///< pause between a client's requests
    double failureRate = 0.0; ///< share of statements that fail (simulated)
    double readRatio = 1.0; ///< share of requests that are reads (the rest write)
    bool recordLatency = true; ///< engine.metrics: time every request into the histograms
    int connections = 0; ///< db.connections: statements in flight at once on this worker (0 = no limit)
    bool batchLoads = false; ///< cache.batch_loads: misses through a BatchLoader
    std::chrono::nanoseconds batchWindow {std::chrono::microseconds(200)}; ///< cache.batch_window
    int batchMax = 64; ///< cache.batch_max
    RetryPolicy retry; ///< db.retries, db.retry_backoff
    double rate = 0.0; ///< open model: this worker's arrivals per second (0 = closed model)
    bool poisson = true; ///< open model: exponential gaps (else constant)
    std::chrono::nanoseconds stall {0}; ///< db.stall
    std::int64_t stallEvery = 0; ///< db.stall_every
    std::shared_ptr<std::atomic<bool>> stop; ///< set when the phase must end
    std::shared_ptr<ClientCounters> counters; ///< where this worker records
    TrackingJob tracking; ///< hot-key tracking of reads
    std::shared_ptr<WarmupJob> warmup; ///< a warm-up to run beside the clients (null = none)
    std::shared_ptr<VersionBook> versions; ///< stale reads: the run's committed versions (null = not checked)
    int versionColumn = -1; ///< the column of a row that holds its version
    QByteArray l2Prefix; ///< Redis L2: this phase's key prefix (empty = no shared L2 in this phase)
};

/// One engine thread's worker: owns that thread's connection to the database (a DataSource) and
/// hosts the clients assigned to it (core/workload's request loop) as coroutines on the thread's
/// event loop. An embedded database's statements run synchronously here, as in a
/// thread-per-connection application; a server's are sent from here and awaited on this
/// thread's event loop (other clients go on meanwhile). Never a hop to another thread.
class EngineThreadHost : public QObject, private ClientHost {
    Q_OBJECT
public:
    explicit EngineThreadHost(int index, DataSourceSpec spec);
    ~EngineThreadHost() override;

    /// Opens the connection, ready for \a statements in flight at once (a server's pool is
    /// opened now); call on the worker's thread. Returns an error message or empty.
    QString open(int statements = 1);
    /// Connects this worker's Redis L2 (its instance's view of the shared tier); call on the
    /// worker's thread after open(). Returns an error message or empty.
    QString openSharedTier(const RedisTierConfig &config);
    /// Closes the Redis L2's connections; call on the worker's thread before it stops.
    void closeSharedTier() { m_redis.reset(); }
    /// Deletes the run's keys from the Redis L2 (the cached phases' \a prefixes, CacheScope values
    /// only) once the run's figures are taken; \a usedMemory gets the server's used_memory before.
    /// Returns how many keys went. Call on the worker's thread.
    std::int64_t clearSharedTier(const QList<QByteArray> &prefixes, std::int64_t *usedMemory);
    /// The Redis server's INFO \a section (blocking; empty without a Redis L2). Worker's thread.
    QByteArray sharedTierInfo(const QByteArray &section) { return m_redis ? m_redis->info(section) : QByteArray(); }
    /// Starts the job's clients; call on the worker's thread. phaseFinished() follows when all
    /// of them have seen the stop flag and returned.
    void startPhase(const PhaseJob &job);

    /// The connection's counters (any thread). Zero before open().
    DataSourceStats databaseStats() const;
    /// The first database error message seen, if any (any thread).
    QString firstError() const;
    /// The hot keys this worker's reads saw in the last phase (a copy). Call on the worker's
    /// thread, or once its phase has finished.
    HotKeyTracker hotKeys() const { return m_tracker ? *m_tracker : HotKeyTracker(1); }
    /// Clients still running (any thread).
    int activeClients() const { return m_activeClients.load(); }

    /// Wakes clients sleeping in a simulated round-trip or think time (when a phase stops);
    /// call on the worker's thread.
    void wakeSleepers();
    /// Gives up on the database statements still in flight after a phase has ended (a server
    /// that does not answer them): their clients see the phase's end. Call on the worker's thread.
    void abandonStatements();
    /// Applies live settings to the running phase: round-trip, think time and failure rate at
    /// the clients' next request; the number of clients through the worker's gate (clients
    /// beyond it wait; new indices start). Call on the worker's thread.
    void applyLive(const ClientSettings &live);

Q_SIGNALS:
    void phaseFinished(int workerIndex);
    /// This worker's share of the warm-up is done (or was cancelled).
    void warmupFinished(int workerIndex);

private:
    QCoro::Task<> runWarmupJob(std::shared_ptr<WarmupJob> job);
    // ClientHost: what the request loop asks of this thread.
    bool statementNow(
        std::int64_t key, const Projection &projection, bool write, LoadResult &result, bool &mayWait) override;
    QCoro::Task<LoadResult> statementAwaited(std::int64_t key, const Projection *projection, bool write,
        const std::atomic<bool> *stop, bool *abandoned) override;
    std::int64_t nextArrival() override;
    void requestFailed(const QString &error) override;
    /// One statement for \a key, run here and now; failures become a Failed result. In a phase
    /// without a cache the row is read but not kept (a Found result with an empty value).
    LoadResult loadNow(std::int64_t key, const Projection &projection);
    /// One write of the row (its projected columns rewritten); Found, NotFound or Failed.
    LoadResult writeNow(std::int64_t key, const Projection &projection);
    std::chrono::nanoseconds roundTrip();
    /// Runs client \a clientIndex of the phase (core/workload's loop) until it returns.
    QCoro::Task<> hostClient(int clientIndex);
    void spawn(int clientIndex);
    void clientDone();
    /// The shared L2 says another instance changed \a key (< 0: anything): this instance's L1
    /// drops it.
    void invalidatedElsewhere(std::int64_t key);

    int m_index;
    DataSourceSpec m_spec;
    std::unique_ptr<DataSource> m_connection;
    std::unique_ptr<RedisTier> m_redis; // cache.l2.backend=redis
    bool m_inline = true; // m_connection->capabilities().runsInline
    std::unique_ptr<TimerQueue> m_timers;
    PhaseJob m_job; // the running phase's job, for clients started later
    ClientSettings m_live;
    std::vector<int> m_spawned; // clients started in this phase
    std::unique_ptr<AsyncSemaphore> m_gate;
    AsyncSemaphore *m_activeGate = nullptr; // m_gate from the first live change of the number of clients
    std::unique_ptr<AsyncSemaphore> m_pool; // db.connections
    std::unique_ptr<HotKeyTracker> m_tracker; // hot keys of this phase's reads (cached phases)
    std::unique_ptr<BatchLoader>
        m_batchLoader; // cache.batch_loads // at most m_live.clients.size() clients in a request
    std::uint64_t m_jitterState = 0;
    std::uint64_t m_retryState = 0;
    std::int64_t m_nextArrival = 0; // open model: intended start of the next request (TimerQueue clock)
    std::uint64_t m_arrivalState = 0;
    std::int64_t m_phaseStart = 0; // steady-clock nanos when the phase started here
    std::atomic<DataSource *> m_connectionForStats {nullptr};
    std::atomic<int> m_activeClients {0};
    mutable std::mutex m_errorMutex;
    QString m_firstError;
};

} // namespace cachescope::detail
