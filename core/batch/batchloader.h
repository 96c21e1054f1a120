#pragma once

#include "core/batch/asyncsemaphore.h"
#include "core/batch/retrypolicy.h"
#include "core/batch/timerqueue.h"
#include "core/cache/tieredcache.h"
#include "core/load/datasource.h"
#include "core/metrics/counter.h"

#include <QObject>

#include <chrono>
#include <coroutine>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace cachescope {

/// The DataLoader pattern on one thread: point loads that arrive within a short window (or until
/// the batch is full) become one `WHERE key IN (...)` statement on the thread's connection.
/// Duplicate keys in a batch are loaded once; every caller gets its own row or its own "not
/// found"; a failed statement fails exactly the callers of that batch. Lives on the thread of its
/// connection and timer queue; coroutines of that thread co_await load().
///
///     BatchLoader::Load op = loader.load(key);   // named: see TOOLCHAIN.md on co_await temporaries
///     LoadResult row = co_await op;
class BatchLoader : public QObject {
    Q_OBJECT
public:
    /// What runs a batch: the keys (distinct, in arrival order) → one answer per key; runs on
    /// this thread; may throw DbError (the whole batch fails). Defaults to readRows().
    using Fetch = std::function<std::vector<std::optional<QByteArray>>(const std::vector<std::int64_t> &keys)>;
    /// Awaited after a batch's statement, before its callers resume (the simulated round-trip);
    /// null = none.
    using Delay = std::function<std::chrono::nanoseconds()>;
    /// The same, answered later: the keys and a completion that receives the rows or the error,
    /// on this thread (a server's source: DataSource::loadRows).
    using AsyncFetch = std::function<void(const std::vector<std::int64_t> &keys, DataSource::RowsDone done)>;

    BatchLoader(TimerQueue *timers, Fetch fetch, Delay delay, QObject *parent = nullptr);
    BatchLoader(TimerQueue *timers, AsyncFetch fetch, Delay delay, QObject *parent = nullptr);

    void setWindow(std::chrono::nanoseconds window) { m_window = window; }
    void setMaxBatch(int maxBatch) { m_maxBatch = std::max(1, maxBatch); }
    /// A pool of connections a batch needs one of, for its statement and round-trip (null = no
    /// limit): while none is free, loads keep gathering and go out as soon as one is.
    void setConnections(AsyncSemaphore *connections) { m_connections = connections; }
    /// Retries of a batch whose statement failed with a retryable error (isRetryable()); its
    /// callers wait meanwhile and see only the final outcome.
    void setRetry(const RetryPolicy &policy, std::uint64_t seed)
    {
        m_retry = policy;
        m_retryState = seed;
    }
    std::uint64_t retries() const { return m_retries; }
    /// Also counts retries here (a counter the thread's owner reads from elsewhere).
    void setRetryCounter(SingleWriterCounter *counter) { m_retryCounter = counter; }
    std::chrono::nanoseconds window() const { return m_window; }
    int maxBatch() const { return m_maxBatch; }

    class Load {
    public:
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<> handle);
        LoadResult await_resume() { return std::move(m_result); }

    private:
        friend class BatchLoader;
        Load(BatchLoader *loader, std::int64_t key)
            : m_loader(loader)
            , m_key(key)
        {
        }
        BatchLoader *m_loader;
        std::int64_t m_key;
        LoadResult m_result;
    };
    [[nodiscard]] Load load(std::int64_t key) { return Load(this, key); }

    /// Statements run, keys asked for (duplicates included), and distinct keys loaded.
    std::uint64_t batches() const { return m_batches; }
    std::uint64_t requests() const { return m_requests; }
    std::uint64_t keysLoaded() const { return m_keysLoaded; }
    /// Loads waiting for their batch to be sent.
    std::size_t pending() const { return m_pending.size(); }

    /// Sends the pending batch now (when the window ends or the batch is full).
    void flush();

private:
    struct Waiter {
        std::int64_t key;
        std::coroutine_handle<> handle;
        Load *load;
    };
    struct Batch {
        std::vector<Waiter> waiters;
        std::vector<std::int64_t> keys; // distinct, in arrival order
        int attempts = 0;
        std::int64_t firstAttempt = 0;
        std::vector<std::optional<QByteArray>> rows;
        QString error;
        int errorCode = 0;
    };
    void enqueue(Waiter waiter);
    /// Flushes later (after \a afterNanos, or from the event loop when negative) unless the
    /// batch now gathering has gone by then.
    void scheduleFlush(std::int64_t afterNanos);
    void run(const std::shared_ptr<Batch> &batch);
    /// The answer of one attempt: retried, delivered after the round-trip, or delivered now.
    void answered(const std::shared_ptr<Batch> &batch, RowsResult &answer);
    void deliver(Batch &batch);

    TimerQueue *m_timers;
    AsyncSemaphore *m_connections = nullptr;
    RetryPolicy m_retry;
    std::uint64_t m_retryState = 0;
    std::uint64_t m_retries = 0;
    SingleWriterCounter *m_retryCounter = nullptr;
    AsyncFetch m_fetch;
    Delay m_delay;
    std::chrono::nanoseconds m_window {std::chrono::microseconds(200)};
    int m_maxBatch = 64;
    std::vector<Waiter> m_pending;
    std::uint64_t m_generation = 0; // which batch a window timer belongs to
    std::uint64_t m_batches = 0;
    std::uint64_t m_requests = 0;
    std::uint64_t m_keysLoaded = 0;
};

} // namespace cachescope
