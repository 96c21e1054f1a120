#pragma once

#include "core/batch/asyncsemaphore.h"
#include "core/batch/retrypolicy.h"
#include "core/batch/timerqueue.h"

#include <QString>

#include <QCoroTask>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

namespace cachescope {

/// Where a batch stands: a plain value, emitted at most ten times a second and once at the end.
struct BatchProgress {
    std::uint64_t done = 0; ///< items finished successfully
    std::uint64_t failed = 0; ///< items that failed (after their retries)
    std::uint64_t total = 0; ///< items in the batch
    double elapsedS = 0.0; ///< since the batch started
    double ratePerS = 0.0; ///< finished items (done + failed) per second so far
    double etaS = -1.0; ///< seconds to go at that rate; -1 while unknown

    std::uint64_t finished() const { return done + failed; }
};

/// Thrown by a processor to say the item may succeed if tried again (a busy database, a timeout).
/// DbError with a retryable SQLite code (isRetryable()) counts as well.
class RetryableError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Shared between a running batch and whoever may stop it (any thread).
class BatchControl {
public:
    void cancel() { m_cancelled.store(true); }
    bool isCancelled() const { return m_cancelled.load(); }

private:
    std::atomic<bool> m_cancelled {false};
};

/// How a batch runs.
struct BatchOptions {
    int concurrency = 4; ///< items in flight at most
    RetryPolicy retry; ///< for items that fail with a retryable error
    std::uint64_t seed = 1; ///< for the retry jitter
    /// A gate shared with other work (e.g. the live clients' connections), taken per item at
    /// \a priority: Background items never go before waiting Foreground ones. Null = none.
    AsyncSemaphore *gate = nullptr;
    AsyncSemaphore::Priority priority = AsyncSemaphore::Priority::Background;
    std::function<void(const BatchProgress &)> onProgress; ///< at most every progressInterval
    std::chrono::milliseconds progressInterval {100};
    int yieldEvery = 64; ///< items a worker finishes between two turns of the event loop
};

/// One item's outcome, at the item's input position.
template<typename R> struct ItemOutcome {
    bool ran = false; ///< false: cancelled before it started
    std::optional<R> value; ///< the result when it succeeded
    QString error; ///< the last error when it failed
    int attempts = 0; ///< tries made
};

/// A batch's outcome: per item, in input order, and the lists a caller acts on.
template<typename R> struct BatchOutcome {
    std::vector<ItemOutcome<R>> items; ///< one per input item, same order
    std::vector<std::size_t> failed; ///< positions of the items that failed, with their last error in items
    std::vector<std::size_t> neverRan; ///< positions of the items cancellation kept from starting
    bool cancelled = false; ///< cancel() was called before every item had started
    BatchProgress progress; ///< the final figures
};

namespace detail {
bool isRetryableException(const std::exception &error);
void yieldTo(QObject *context, std::coroutine_handle<> handle);
struct Yield {
    QObject *context;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) const { yieldTo(context, h); }
    void await_resume() const noexcept { }
};
} // namespace detail

/// Runs \a processor over \a items with at most options.concurrency in flight, on the thread of
/// \a context (its event loop turns between items: the caller's loop is never blocked). Results
/// keep input order; one item's failure never fails the batch; retryable failures are retried by
/// the policy; cancellation stops new items from starting and lets running ones finish.
///
/// The processor is called with the item by value and returns a task; it must not be a capturing
/// coroutine lambda (g++ 12 / QCoro 0.8: see TOOLCHAIN.md): a plain lambda that calls a coroutine
/// function is fine.
template<typename T, typename R>
QCoro::Task<BatchOutcome<R>> processBatch(QObject *context, TimerQueue *timers, std::vector<T> items,
    std::function<QCoro::Task<R>(T)> processor, BatchOptions options, std::shared_ptr<BatchControl> control);

// ---- implementation ----

namespace detail {
template<typename T, typename R> struct BatchState {
    std::vector<T> items;
    std::function<QCoro::Task<R>(T)> processor;
    BatchOptions options;
    std::shared_ptr<BatchControl> control;
    QObject *context = nullptr;
    TimerQueue *timers = nullptr;
    BatchOutcome<R> outcome;
    std::size_t next = 0;
    std::int64_t start = 0;
    std::int64_t lastProgress = 0;
    std::uint64_t retryState = 0;

    BatchProgress progress(std::int64_t now = TimerQueue::nowNanos()) const
    {
        BatchProgress p = outcome.progress;
        p.total = items.size();
        p.elapsedS = double(now - start) / 1e9;
        p.ratePerS = p.elapsedS > 0 ? double(p.finished()) / p.elapsedS : 0.0;
        p.etaS = p.ratePerS > 0 ? double(p.total - p.finished()) / p.ratePerS : -1.0;
        return p;
    }
    void maybeReport(bool final)
    {
        const std::int64_t now = TimerQueue::nowNanos();
        if (!options.onProgress)
            return;
        if (final || now - lastProgress >= std::chrono::nanoseconds(options.progressInterval).count()) {
            lastProgress = now;
            options.onProgress(progress(now)); // elapsedS is the time the interval was judged by
        }
    }
};

template<typename T, typename R> QCoro::Task<> runOne(BatchState<T, R> *state, std::size_t index)
{
    ItemOutcome<R> &out = state->outcome.items[index];
    out.ran = true;
    const std::int64_t first = TimerQueue::nowNanos();
    for (;;) {
        ++out.attempts;
        bool retryable = false;
        try {
            QCoro::Task<R> task = state->processor(state->items[index]);
            out.value = co_await task;
            out.error.clear();
            co_return;
        } catch (const std::exception &error) {
            out.error = QString::fromUtf8(error.what());
            retryable = isRetryableException(error);
        }
        if (!retryable
            || !state->options.retry.mayRetry(out.attempts, std::chrono::nanoseconds(TimerQueue::nowNanos() - first))
            || state->control->isCancelled())
            co_return;
        co_await state->timers->sleepFor(state->options.retry.delayBefore(out.attempts, state->retryState));
    }
}

template<typename T, typename R> QCoro::Task<> worker(BatchState<T, R> *state)
{
    int sinceYield = 0;
    while (state->next < state->items.size() && !state->control->isCancelled()) {
        const std::size_t index = state->next++;
        if (state->options.gate)
            co_await state->options.gate->acquire(state->context, state->options.priority);
        QCoro::Task<> one = runOne(state, index);
        co_await one;
        if (state->options.gate)
            state->options.gate->release();
        ItemOutcome<R> &out = state->outcome.items[index];
        if (out.value)
            ++state->outcome.progress.done;
        else
            ++state->outcome.progress.failed;
        state->maybeReport(false);
        if (++sinceYield >= state->options.yieldEvery) {
            sinceYield = 0;
            co_await Yield {state->context};
        }
    }
}
} // namespace detail

template<typename T, typename R>
QCoro::Task<BatchOutcome<R>> processBatch(QObject *context, TimerQueue *timers, std::vector<T> items,
    std::function<QCoro::Task<R>(T)> processor, BatchOptions options, std::shared_ptr<BatchControl> control)
{
    auto state = std::make_unique<detail::BatchState<T, R>>();
    state->items = std::move(items);
    state->processor = std::move(processor);
    state->options = std::move(options);
    state->control = control ? std::move(control) : std::make_shared<BatchControl>();
    state->context = context;
    state->timers = timers;
    state->outcome.items.resize(state->items.size());
    state->start = TimerQueue::nowNanos();
    state->lastProgress = state->start;
    state->retryState = state->options.seed;
    const int workers = std::max(1, std::min<int>(state->options.concurrency, int(state->items.size())));
    std::vector<QCoro::Task<>> running;
    running.reserve(std::size_t(workers));
    for (int i = 0; i < workers; ++i)
        running.push_back(detail::worker(state.get()));
    for (QCoro::Task<> &task : running)
        co_await task;
    BatchOutcome<R> &outcome = state->outcome;
    for (std::size_t i = 0; i < outcome.items.size(); ++i) {
        if (!outcome.items[i].ran)
            outcome.neverRan.push_back(i);
        else if (!outcome.items[i].value)
            outcome.failed.push_back(i);
    }
    outcome.cancelled = !outcome.neverRan.empty();
    outcome.progress = state->progress();
    state->maybeReport(true);
    co_return std::move(outcome);
}

/// A bounded queue between the stages of a pipeline, on one thread: push() suspends while the
/// queue is full (a slow stage holds back the ones before it), pop() while it is empty; after
/// close(), pop() drains what is left and then answers nullopt.
template<typename T> class Channel {
public:
    Channel(QObject *context, std::size_t capacity)
        : m_context(context)
        , m_capacity(std::max<std::size_t>(1, capacity))
    {
    }
    std::size_t capacity() const { return m_capacity; }
    std::size_t size() const { return m_items.size(); }
    /// The most items ever queued at once.
    std::size_t highWater() const { return m_highWater; }

    QCoro::Task<> push(T item)
    {
        // First come, first served: nobody overtakes a pusher that is waiting (an ordered stage
        // relies on it); a waiter is woken with a slot kept for it.
        if (!m_pushers.empty() || m_items.size() + m_reserved >= m_capacity) {
            Wait wait {this, &m_pushers};
            co_await wait;
            --m_reserved;
        }
        m_items.push_back(std::move(item));
        m_highWater = std::max(m_highWater, m_items.size());
        wakeOne(m_poppers);
    }
    QCoro::Task<std::optional<T>> pop()
    {
        while (m_items.empty() && !m_closed) {
            Wait wait {this, &m_poppers};
            co_await wait;
        }
        if (m_items.empty())
            co_return std::nullopt;
        T item = std::move(m_items.front());
        m_items.pop_front();
        if (!m_pushers.empty()) {
            ++m_reserved;
            wakeOne(m_pushers);
        }
        co_return std::optional<T>(std::move(item));
    }
    void close()
    {
        m_closed = true;
        while (!m_poppers.empty())
            wakeOne(m_poppers);
    }

private:
    struct Wait {
        Channel *channel;
        std::deque<std::coroutine_handle<>> *queue;
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<> h) { queue->push_back(h); }
        void await_resume() const noexcept { }
    };
    void wakeOne(std::deque<std::coroutine_handle<>> &queue)
    {
        if (queue.empty())
            return;
        const std::coroutine_handle<> h = queue.front();
        queue.pop_front();
        detail::yieldTo(m_context, h);
    }

    QObject *m_context;
    std::size_t m_capacity;
    std::deque<T> m_items;
    std::deque<std::coroutine_handle<>> m_pushers;
    std::deque<std::coroutine_handle<>> m_poppers;
    std::size_t m_highWater = 0;
    std::size_t m_reserved = 0; // slots kept for woken pushers
    bool m_closed = false;
};

/// One stage of a pipeline: takes items from \a in, runs \a fn on up to \a concurrency of them at
/// once, and pushes the results to \a out (closed when \a in is drained and every item is done).
/// Ordered: results leave in the order their items arrived (a result that finishes early waits,
/// holding its slot); unordered: as they finish. Backpressure comes from the channels' bounds.
/// \a fn must not be a capturing coroutine lambda (see processBatch()).
template<typename T, typename R>
QCoro::Task<> runStage(QObject *context, Channel<T> *in, Channel<R> *out, std::function<QCoro::Task<R>(T)> fn,
    int concurrency, bool ordered);

namespace detail {
template<typename T, typename R> struct StageState {
    QObject *context;
    Channel<T> *in;
    Channel<R> *out;
    std::function<QCoro::Task<R>(T)> fn;
    bool ordered;
    std::uint64_t nextIn = 0; // sequence number of the next item taken
    std::uint64_t nextOut = 0; // sequence number of the next result to leave (ordered)
    std::map<std::uint64_t, R> parked; // ordered: results waiting for their turn
};

template<typename T, typename R> QCoro::Task<> stageWorker(StageState<T, R> *st)
{
    for (;;) {
        QCoro::Task<std::optional<T>> pop = st->in->pop();
        std::optional<T> item = co_await pop;
        if (!item)
            co_return;
        const std::uint64_t seq = st->nextIn++;
        QCoro::Task<R> work = st->fn(std::move(*item));
        R result = co_await work;
        if (!st->ordered) {
            QCoro::Task<> push = st->out->push(std::move(result));
            co_await push;
            continue;
        }
        st->parked.emplace(seq, std::move(result));
        // Whoever completes the next result in line sends every result that is now in order.
        while (!st->parked.empty() && st->parked.begin()->first == st->nextOut) {
            R ready = std::move(st->parked.begin()->second);
            st->parked.erase(st->parked.begin());
            ++st->nextOut;
            QCoro::Task<> push = st->out->push(std::move(ready));
            co_await push;
        }
    }
}
} // namespace detail

template<typename T, typename R>
QCoro::Task<> runStage(QObject *context, Channel<T> *in, Channel<R> *out, std::function<QCoro::Task<R>(T)> fn,
    int concurrency, bool ordered)
{
    auto st = std::make_unique<detail::StageState<T, R>>(
        detail::StageState<T, R> {context, in, out, std::move(fn), ordered, 0, 0, {}});
    std::vector<QCoro::Task<>> workers;
    for (int i = 0; i < std::max(1, concurrency); ++i)
        workers.push_back(detail::stageWorker(st.get()));
    for (QCoro::Task<> &w : workers)
        co_await w;
    out->close();
}

} // namespace cachescope
