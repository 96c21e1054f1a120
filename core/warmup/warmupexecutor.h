#pragma once

#include "core/batch/batchprocessor.h"
#include "core/load/source.h"

#include <QByteArray>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <qcoro/qcorotask.h>

namespace cachescope {

class TieredCache;
class AsyncSemaphore;

/// Keys one warm-up statement loads (one IN (...)), and whether they go into L1 as well as L2.
struct WarmupChunk {
    std::vector<std::int64_t> keys; ///< hottest first
    bool intoL1 = false; ///< among the very hottest: fill L1 too
};

/// What a warm-up has done so far. Written by the engine threads running it, read at any time.
struct WarmupCounters {
    std::atomic<std::uint64_t> keysDone {0}; ///< keys whose statement finished (found, missing or failed)
    std::atomic<std::uint64_t> keysLoaded {0}; ///< keys put into the cache
    std::atomic<std::uint64_t> keysAlreadyCached {0}; ///< found, but already cached or invalidated meanwhile
    std::atomic<std::uint64_t> keysMissing {0}; ///< keys with no row
    std::atomic<std::uint64_t> keysFailed {0}; ///< keys whose statement failed (after its retries)
    std::atomic<std::uint64_t> statements {0}; ///< statements run (retries included)
    std::atomic<int> inFlight {0}; ///< statements started and not yet answered
    std::atomic<int> maxInFlight {0}; ///< the most there ever were at once
};

/// How a warm-up runs on one engine thread.
struct WarmupOptions {
    int concurrency = 4; ///< statements in flight at once on this thread
    /// Live requests first: warm-up statements take the connection pool at background priority,
    /// and the thread's event loop turns (every waiting client gets a step) between two of them.
    bool background = true;
    AsyncSemaphore *connections = nullptr; ///< db.connections pool shared with live requests (may be null)
    RetryPolicy retry; ///< db.retries for warm-up statements
    std::uint64_t seed = 1; ///< retry jitter
    std::function<std::chrono::nanoseconds()> roundTrip; ///< simulated round-trip per statement (null = none)
};

/// Loads the rows of keys in one statement (the data source's readRows); throws DbError.
using RowsLoader = std::function<std::vector<std::optional<QByteArray>>(const std::vector<std::int64_t> &)>;
/// The same, answered later on this thread (the data source's loadRows: a server's).
using AsyncRowsLoader = std::function<void(const std::vector<std::int64_t> &, DataSource::RowsDone)>;

/// Cuts \a keys (hottest first) into chunks of at most \a chunkSize; the first \a l1Keys keys are
/// marked for L1.
std::vector<WarmupChunk> makeWarmupChunks(
    const std::vector<std::int64_t> &keys, std::size_t chunkSize, std::size_t l1Keys);

/// The warm-up executor: loads \a chunks with batched statements on the batch engine (bounded
/// concurrency, retries, cancellation through \a control) on the thread of \a context, and fills
/// \a cache (TieredCache::warm: version-checked, never over a fresher entry). Budgets of keys and
/// time are the caller's: it cuts the key list, and cancels \a control when time is up.
/// The outcome's value per chunk is the number of keys it put into the cache.
QCoro::Task<BatchOutcome<int>> runWarmup(QObject *context, TimerQueue *timers, TieredCache *cache, AsyncRowsLoader load,
    std::vector<WarmupChunk> chunks, WarmupOptions options, std::shared_ptr<BatchControl> control,
    WarmupCounters *counters);
/// runWarmup() with a synchronous loader (an embedded database's readRows).
QCoro::Task<BatchOutcome<int>> runWarmup(QObject *context, TimerQueue *timers, TieredCache *cache, RowsLoader load,
    std::vector<WarmupChunk> chunks, WarmupOptions options, std::shared_ptr<BatchControl> control,
    WarmupCounters *counters);

} // namespace cachescope
