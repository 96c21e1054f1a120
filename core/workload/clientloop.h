#pragma once

#include "core/batch/asyncsemaphore.h"
#include "core/batch/timerqueue.h"
#include "core/cache/sharedtier.h"
#include "core/cache/tieredcache.h"
#include "core/load/loadresult.h"
#include "core/metrics/counter.h"
#include "core/metrics/latencyhistogram.h"
#include "core/metrics/requestcounts.h"
#include "core/projection/projection.h"
#include "core/warmup/hotkeytracker.h"
#include "core/workload/keydistribution.h"
#include "core/workload/versionbook.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <chrono>
#include <coroutine>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include <qcoro/qcorotask.h>

namespace cachescope {

/// Counters of the clients of one host (an engine worker) in one phase: RequestCounts' fields,
/// live, and the latency recorders. Written only by the host's thread, read by the sampler at
/// any time (SingleWriterCounter, LatencyRecorder). The database counters stay 0 here: they come
/// from the connection's statistics.
struct alignas(64) ClientCounters : BasicRequestCounts<SingleWriterCounter> {
    LatencyRecorder latency; ///< latency of every request (open model: from its intended start)
    LatencyRecorder service; ///< open model: from the actual start (service time)
    LatencyRecorder staleAge; ///< of each stale read, the age of its row (VersionBook)
    LatencyRecorder l2RoundTrip; ///< of each shared L2 GET, its round-trip
    LatencyRecorder invalidationDelay; ///< from a write's commit to this instance's L1 being told of it
};

/// What may change while a phase runs (a ConfigChange, applied between two requests).
struct ClientSettings {
    std::chrono::nanoseconds rtt {0}; ///< simulated round-trip after each statement
    std::chrono::nanoseconds rttJitter {0}; ///< ± uniform variation of the round-trip
    std::chrono::nanoseconds thinkTime {0}; ///< closed model: pause between a client's requests
    double failureRate = 0.0; ///< share of statements that fail (simulated)
    std::vector<int> clients; ///< global indices of the clients the host runs now
    double rate = 0.0; ///< open model: the host's arrivals per second (0 = closed model)
};

/// What a client's request loop needs from the thread that hosts it (the engine thread): its
/// database statements and its open-model arrivals, and where to report. What it reads on every
/// request (settings, gate) it reads through ClientJob's pointers, not through calls.
class ClientHost {
public:
    virtual ~ClientHost() = default;
    /// One read or write of \a key's row with \a projection, as the scenario models it. Runs it
    /// here and now into \a result and returns true when nothing can make it wait (a local
    /// database without pool, retries or batching: no coroutine is made); otherwise returns false
    /// and the client awaits statementAwaited(). The one place that choice is made. \a mayWait:
    /// the statement can suspend the client (round-trip, pool, batch).
    virtual bool statementNow(
        std::int64_t key, const Projection &projection, bool write, LoadResult &result, bool &mayWait)
        = 0;
    /// The statement statementNow() did not run: batched, pooled, retried, followed by the
    /// simulated round-trip. *abandoned is set when the phase's end cut it short.
    virtual QCoro::Task<LoadResult> statementAwaited(
        std::int64_t key, const Projection *projection, bool write, const std::atomic<bool> *stop, bool *abandoned)
        = 0;
    /// Open model: the intended start of the host's next request.
    virtual std::int64_t nextArrival() = 0;
    /// A request failed with \a error (the first one is the run's message).
    virtual void requestFailed(const QString &error) = 0;
};

/// One client's part of a phase.
struct ClientJob {
    std::shared_ptr<const KeySpace> keySpace; ///< keys and their popularity
    std::uint64_t seed = 0; ///< workload seed
    std::int64_t phaseStart = 0; ///< TimerQueue clock at the phase's start (shifting hot sets)
    TieredCache *cache = nullptr; ///< null in the baseline phase
    const Projection *projection = nullptr; ///< the columns each read asks for
    double readRatio = 1.0; ///< share of requests that are reads (the rest write)
    bool recordLatency = true; ///< engine.metrics: time every request
    const std::atomic<bool> *stop = nullptr; ///< set when the phase must end
    ClientCounters *counters = nullptr; ///< where the client records
    QObject *context = nullptr; ///< the host thread's context object: resumptions are queued to it
    TimerQueue *timers = nullptr; ///< the host thread's timers
    const ClientSettings *settings = nullptr; ///< the host's live settings (read at each request)
    AsyncSemaphore *const *gate = nullptr; ///< the gate admitting as many clients as run now; null while all run
    HotKeyTracker *readTracker = nullptr; ///< where reads are counted as hot keys; null = not tracked
    /// Stale reads: where writes report the versions they commit, and which column of a row holds
    /// its version (table order); null = not checked (no writes, or no version column).
    VersionBook *versions = nullptr;
    int versionColumn = -1;
    /// A shared L2 (Redis) asked after an L1 miss and filled after a load; null = none.
    SharedTier *shared = nullptr;
};

/// The request loop of client \a clientIndex: its keys and operations (seeded, the same in both
/// phases), the load model (closed: back to back with think time; open: on the host's arrival
/// schedule, latency from the intended start), reads through the cache (single-flight misses)
/// and writes, until the stop flag is set.
QCoro::Task<> runClient(ClientHost &host, ClientJob job, int clientIndex);

/// Open model: a request that starts later than this after its intended start counts as late.
inline constexpr std::chrono::milliseconds kLateAfter {1};
/// With a shared L2, a client sends what waits to be sent and reads what the server has told of
/// other instances' writes this often (SharedTier::service(): one poll(2)), not only when the
/// event loop turns: every 16 requests left L1 copies stale for milliseconds after a write on a
/// busy worker (0.18 % stale reads against 0.02 %, docs/benchmarks.md).
inline constexpr std::chrono::microseconds kServiceSharedTierEvery {20};
/// Requests a client completes between two turns of the event loop.
inline constexpr int kYieldEvery = 128;
/// A request that went to the database counts this many towards kYieldEvery, so a client yields
/// after ~128 hits (~20 µs) or ~32 database reads.
inline constexpr int kDatabaseWeight = 4;

/// Awaitable that resumes a coroutine when another client's load of the same key is done (on the
/// coroutine's own thread, through its event loop), with that load's result.
struct LoadWait {
    TieredCache *cache;
    TieredCache::LoadTicket ticket;
    QObject *context;
    LoadResult result;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> handle);
    LoadResult await_resume() { return std::move(result); }
};

/// Awaitable that gives the event loop a turn (timers, queued calls, other clients) and resumes
/// the coroutine afterwards. Cheaper than a zero timer.
struct YieldToEventLoop {
    QObject *context;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> handle) const;
    void await_resume() const noexcept { }
};

} // namespace cachescope
